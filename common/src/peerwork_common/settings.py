"""Settings every service shares; each service has one ``Settings`` class built on these.

In ``production`` a service refuses to start with a setting that is missing or unsafe
there, and names every such variable at once (``load`` turns the refusal into a message
and an exit status instead of a traceback).
"""

import ipaddress
import re
import sys
from pathlib import Path
from typing import Literal, Self, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings

S = TypeVar("S", bound=BaseSettings)


def variable(settings: BaseSettings, field: str) -> str:
    """The environment variable that sets ``field`` of ``settings``."""
    return f"{settings.model_config.get('env_prefix', '')}{field}".upper()


class ServiceSettings(BaseSettings):
    environment: Literal["development", "production"] = "development"
    # Several servers of a cluster: comma-separated.
    nats_url: str = "nats://127.0.0.1:4222"
    nats_user: str | None = None
    nats_password: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    # The reverse proxies whose X-Forwarded-For (and -Proto) give the client's address,
    # comma-separated addresses or networks; empty: none, the address is the connection's.
    forwarded_allow_ips: str = ""
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    # One line per request answered (``http_requests``), written at ``access_log_level``.
    access_log: bool = True
    access_log_level: Literal["DEBUG", "INFO", "WARNING"] = "INFO"
    # Where traces go over OTLP/HTTP (``http://collector:4318``); unset, and with no
    # OTEL_EXPORTER_OTLP_ENDPOINT either, nothing is traced (``tracing``).
    otlp_endpoint: str | None = None
    # The largest request body taken (413 beyond): commands are a few kilobytes at most.
    max_body_bytes: int = Field(default=64 * 1024, ge=1)
    # The key bearer tokens are verified with, one of: a shared HS256 secret (self-hosted,
    # tokens from ``python -m peerwork_common.security.tokens``), the identity provider's public key
    # (PEM), or its JWKS URL. None: every protected route answers 401, naming these.
    auth_jwt_secret: SecretStr | None = None
    auth_public_key: str | None = None
    auth_jwks_url: str | None = None
    auth_issuer: str = "peerwork"
    auth_audience: str = "peerwork"
    # Where the token lists its roles; dotted for a nested claim (Keycloak: realm_access.roles).
    auth_roles_claim: str = "roles"

    @property
    def nats_servers(self) -> str:
        """``nats_url`` with this service's credentials in each address, as ``connect`` takes it."""
        if not self.nats_user:
            return self.nats_url
        password = self.nats_password.get_secret_value() if self.nats_password else ""
        userinfo = f"{quote(self.nats_user, safe='')}:{quote(password, safe='')}@"
        return ",".join(
            urlunsplit(address._replace(netloc=userinfo + address.netloc.rsplit("@", 1)[-1]))
            for address in map(urlsplit, self.nats_url.split(","))
        )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _addresses(cls, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            try:
                ipaddress.ip_network(entry)  # as uvicorn reads it: no host bits after the mask
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network (10.0.0.0/8, for instance)") from None
        return ",".join(entries)

    @model_validator(mode="after")
    def _one_verification_key(self) -> Self:
        keys = [self.auth_jwt_secret, self.auth_public_key, self.auth_jwks_url]
        if sum(bool(key) for key in keys) > 1:  # an empty variable counts as unset
            raise ValueError(f"set only one of {', '.join(self._auth_key_variables())}")
        return self

    def _auth_key_variables(self) -> list[str]:
        return [variable(self, name) for name in ("auth_jwt_secret", "auth_public_key", "auth_jwks_url")]

    @model_validator(mode="after")
    def _safe_for_production(self) -> Self:
        if self.environment == "production" and (problems := self.production_problems()):
            raise ValueError(
                "refusing to start in production:\n  - " + "\n  - ".join(problems)
            )
        return self

    def production_problems(self) -> list[str]:
        """What this configuration lacks to run in production, one line per setting."""
        problems = []
        if not self.nats_user or not self.nats_password:
            problems.append(
                f"{variable(self, 'nats_user')} and {variable(self, 'nats_password')} must be set: "
                "each service connects to NATS with its own credentials"
            )
        return problems + self._auth_problems()

    def _auth_problems(self) -> list[str]:
        if self.auth_public_key or self.auth_jwks_url:
            return []
        secret = self.auth_jwt_secret.get_secret_value() if self.auth_jwt_secret else ""
        if not secret:
            return [f"one of {', '.join(self._auth_key_variables())} must be set: bearer tokens are verified with it"]
        if len(secret) < 32:
            return [f"{variable(self, 'auth_jwt_secret')} must be at least 32 random characters"]
        return []


class PostgresSettings(BaseSettings):
    """Where a service keeps its data: SQLite by default, PostgreSQL in production."""

    persistence: Literal["sqlite", "postgres"] = "sqlite"
    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "postgres"
    postgres_password: SecretStr = SecretStr("")
    postgres_dbname: str = "peerwork"
    postgres_schema: str = "public"

    @field_validator("postgres_schema")
    @classmethod
    def _unquoted_name(cls, schema: str) -> str:
        # yoyo-migrations sets search_path without quoting: a name that needs quotes (upper
        # case, a dash) never reaches its schema, and the migration waits on its lock for ever.
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
            raise ValueError(
                f"{schema!r} is not a schema name to use: lower-case letters, digits and _ "
                "only, starting with a letter or _, at most 63 characters"
            )
        return schema

    def postgres_conninfo(self) -> str:
        """A libpq connection string for psycopg."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo(
            host=self.postgres_host,
            port=self.postgres_port,
            user=self.postgres_user,
            password=self.postgres_password.get_secret_value() or None,
            dbname=self.postgres_dbname,
        )

    def persistence_problems(self) -> list[str]:
        problems = []
        if self.persistence != "postgres":
            problems.append(f"{variable(self, 'persistence')} must be postgres: SQLite is for one machine")
        elif not self.postgres_password.get_secret_value():
            problems.append(f"{variable(self, 'postgres_password')} must be set")
        return problems


class WriteServiceSettings(ServiceSettings, PostgresSettings):
    """A write service: its event store and its relay."""

    sqlite_path: Path = Path(".data/store.sqlite")
    relay_enabled: bool = True
    # How long the answer to a command sent with an Idempotency-Key is kept for its retries.
    idempotency_ttl_hours: float = Field(default=24, gt=0)

    def production_problems(self) -> list[str]:
        return super().production_problems() + self.persistence_problems()

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


def load(settings_class: type[S]) -> S:
    """The service's settings from its environment, or an exit naming what is wrong."""
    try:
        return settings_class()
    except ValidationError as error:
        prefix = settings_class.model_config.get("env_prefix", "")
        lines = []
        for problem in error.errors():
            message = problem["msg"].removeprefix("Value error, ")
            field = ".".join(str(part) for part in problem["loc"])
            lines.append(f"{prefix}{field}".upper() + f": {message}" if field else message)
        sys.exit("invalid settings: " + "\n".join(lines))
