from pathlib import Path

from pydantic_settings import SettingsConfigDict

from peerwork_common.settings import WriteServiceSettings


class Settings(WriteServiceSettings):
    """Accompaniment settings, read from ``ACCOMPANIMENT_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="ACCOMPANIMENT_")

    port: int = 8002
    sqlite_path: Path = Path(".data/accompaniment.sqlite")
    postgres_dbname: str = "peerwork_accompaniment"
    # Keeps the registry's peer workers and structures (their départements) for the
    # territory checks of the commands that name them.
    registry_records_enabled: bool = True
    registry_records_consumer_name: str = "accompaniment-registry"
