"""Where the statistics store lives: a SQLite file by default, a PostgreSQL schema when
``REPORTING_PERSISTENCE=postgres``. Both run the same SQL (see ``postgres_dialect``)."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol, Self

from .config import Settings
from .postgres_storage import PostgresSchema
from .sqlite_storage import SqliteFile

Params = Sequence[Any] | dict[str, Any]


class Cursor(Protocol):
    """The part of a DB-API cursor the projections and reads use, with SQLite's
    placeholders (``?``, ``:name``) on either database."""

    def execute(self, sql: str, params: Params = ..., /) -> "Cursor": ...
    def executemany(self, sql: str, params: Iterable[Params], /) -> object: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Storage(Protocol):
    """An open store: one writer, and readers each on a snapshot of their own."""

    location: "Location"

    def transaction(self) -> AbstractContextManager[Cursor]: ...
    def snapshot(self) -> AbstractContextManager[Cursor]: ...
    def comparison(
        self, other: Self
    ) -> AbstractContextManager[tuple[Cursor, str, str, list[tuple[str, str]]]]:
        """A snapshot where this store's tables are prefixed with the first name and
        ``other``'s with the second; and this store's (table, column) pairs."""
        ...
    def make_durable(self) -> None: ...
    def close(self) -> None: ...


class Location(Protocol):
    name: str

    def open(self, script: str, durable: bool) -> Storage:
        """Opens the store, creating the tables of ``script`` that are missing."""
        ...
    def in_use(self) -> Self:
        """This store, or the last rebuild's that a switch recorded here."""
        ...
    def fresh(self, now: datetime) -> Self:
        """A new store beside this one, for a rebuild started ``now``."""
        ...
    def point_to(self, other: Self) -> None:
        """Records that ``other`` is in use from now on."""
        ...


def configured(settings: Settings) -> SqliteFile | PostgresSchema:
    if settings.persistence == "postgres":
        return PostgresSchema(settings.postgres_conninfo(), settings.postgres_schema)
    return SqliteFile(settings.store_path)
