from pathlib import Path

from pydantic_settings import SettingsConfigDict

from peerwork_common.settings import WriteServiceSettings


class Settings(WriteServiceSettings):
    """Registry settings, read from ``REGISTRY_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_")

    port: int = 8001
    sqlite_path: Path = Path(".data/registry.sqlite")
    postgres_dbname: str = "peerwork_registry"
    hirings_enabled: bool = True  # records the accompaniment's hirings as employments
    hirings_consumer_name: str = "registry-hirings"
