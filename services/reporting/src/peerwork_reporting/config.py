from pathlib import Path

from pydantic_settings import SettingsConfigDict

from peerwork_common.settings import ServiceSettings


class Settings(ServiceSettings):
    """Reporting settings, read from ``REPORTING_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="REPORTING_")

    port: int = 8003
    store_path: Path = Path(".data/reporting.sqlite")
    consumer_name: str = "reporting"
    batch_size: int = 500
    consumer_enabled: bool = True
    ack_wait: float = 30.0
