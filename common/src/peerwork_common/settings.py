"""Settings every service shares; each service has one ``Settings`` class built on these."""

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings


class ServiceSettings(BaseSettings):
    nats_url: str = "nats://127.0.0.1:4222"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"


class WriteServiceSettings(ServiceSettings):
    """A write service's event store: SQLite by default, PostgreSQL in production."""

    persistence: Literal["sqlite", "postgres"] = "sqlite"
    sqlite_path: Path = Path(".data/store.sqlite")
    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "postgres"
    postgres_password: SecretStr = SecretStr("")
    postgres_dbname: str = "peerwork"
    postgres_schema: str = "public"
    relay_enabled: bool = True

    def eventsourcing_env(self) -> dict[str, str]:
        if self.persistence == "sqlite":
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": self.postgres_host,
            "POSTGRES_PORT": str(self.postgres_port),
            "POSTGRES_USER": self.postgres_user,
            "POSTGRES_PASSWORD": self.postgres_password.get_secret_value(),
            "POSTGRES_DBNAME": self.postgres_dbname,
            "POSTGRES_SCHEMA": self.postgres_schema,
        }
