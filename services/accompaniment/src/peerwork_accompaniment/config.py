from pathlib import Path

from pydantic_settings import SettingsConfigDict

from peerwork_common.settings import WriteServiceSettings


class Settings(WriteServiceSettings):
    """Accompaniment settings, read from ``ACCOMPANIMENT_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="ACCOMPANIMENT_")

    port: int = 8002
    sqlite_path: Path = Path(".data/accompaniment.sqlite")
    postgres_dbname: str = "peerwork_accompaniment"
