"""Where the statistics store lives: a SQLite file by default, a PostgreSQL schema when
``REPORTING_PERSISTENCE=postgres``. Both run the same SQL (see ``postgres_dialect``)."""

from ..config import Settings
from .postgres import PostgresSchema
from .sqlite import SqliteFile


def configured(settings: Settings) -> SqliteFile | PostgresSchema:
    if settings.persistence == "postgres":
        return PostgresSchema(settings.postgres_conninfo(), settings.postgres_schema)
    return SqliteFile(settings.store_path)


def releases_location(settings: Settings) -> SqliteFile | PostgresSchema:
    """Beside the configured store, never switched by a rebuild."""
    if settings.persistence == "postgres":
        return PostgresSchema(settings.postgres_conninfo(), f"{settings.postgres_schema}_releases")
    path = settings.store_path
    return SqliteFile(path.with_name(f"{path.stem}-releases{path.suffix}"))
