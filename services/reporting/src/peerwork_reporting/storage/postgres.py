"""The statistics store in a PostgreSQL schema: in production.

A rebuild fills a new schema of the same database, so that the two can be compared row
by row in one query; the configured schema's ``store_in_use`` table names the schema of
the last rebuild switched to, if any.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from peerwork_common.eventstore.schema_migrations import migrate_database, postgres_uri

from .postgres_dialect import SqliteStyleCursor

POINTER = "store_in_use"
_READERS = 4  # the API's threads reading at once; more wait for a connection


@dataclass(frozen=True)
class PostgresSchema:
    conninfo: str = field(repr=False)  # it may hold a password
    name: str

    def open(self, migrations: Path, durable: bool) -> "PostgresStorage":
        return PostgresStorage(self, migrations, durable)

    def in_use(self) -> "PostgresSchema":
        with self._pointer() as cursor:
            # No table: this schema was never opened, so no rebuild was switched to from it.
            (made,) = cursor.execute("SELECT to_regclass(?) IS NOT NULL", (POINTER,)).fetchone()
            row = cursor.execute(f"SELECT schema_name FROM {POINTER}").fetchone() if made else None
        return replace(self, name=row[0]) if row else self

    def fresh(self, now: datetime) -> "PostgresSchema":
        return replace(self, name=f"{self.name}_{now:%Y%m%d%H%M%S}")

    def point_to(self, other: "PostgresSchema") -> None:
        # Committed durably, so the rebuilt schema's own commits before it are on disk too.
        with self._pointer() as cursor:
            cursor.execute(f"DELETE FROM {POINTER}")
            cursor.execute(f"INSERT INTO {POINTER} VALUES (?)", (other.name,))

    @contextmanager
    def _pointer(self) -> Iterator[psycopg.Cursor[Any]]:
        # Its table is made by the migrations (``reporting_0001_views``), the schema's
        # when it was opened: it always is before a rebuild switches from it.
        with _connect(self) as connection, connection.transaction():
            yield connection.cursor()


class PostgresStorage:
    def __init__(self, location: PostgresSchema, migrations: Path, durable: bool) -> None:
        self.location = location
        self._durable = durable
        self._writer = self._connect_writer()  # which makes the schema the migrations go in
        self.migrated = migrate_database(postgres_uri(conninfo_to_dict(location.conninfo), location.name), migrations)
        self._readers = ConnectionPool(
            location.conninfo,
            kwargs={"autocommit": True, "cursor_factory": SqliteStyleCursor},
            min_size=1,
            max_size=_READERS,
            configure=self._configure_reader,
            check=ConnectionPool.check_connection,
            name=f"reporting-{location.name}",
            open=True,
        )

    def _connect_writer(self) -> psycopg.Connection[Any]:
        writer = _connect(self.location)
        # A store being rebuilt may lose its last batches in a crash: it is dropped then.
        writer.execute(f"SET synchronous_commit = {'on' if self._durable else 'off'}")
        return writer

    def _configure_reader(self, connection: psycopg.Connection[Any]) -> None:
        _use(connection, self.location.name)
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        if self._writer.broken:  # the server restarted: the batch that failed comes again
            self._writer = self._connect_writer()
        with self._writer.transaction():
            yield self._writer.cursor()

    @contextmanager
    def snapshot(self) -> Iterator[psycopg.Cursor[Any]]:
        """Every query in it sees the same committed state (REPEATABLE READ)."""
        with self._readers.connection() as connection, connection.transaction():
            yield connection.cursor()

    @contextmanager
    def comparison(
        self, other: "PostgresStorage"
    ) -> Iterator[tuple[psycopg.Cursor[Any], str, str, list[tuple[str, str]]]]:
        with self.snapshot() as cursor:  # both schemas are in the same database
            columns = cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name <> ? ORDER BY table_name, ordinal_position",
                (self.location.name, POINTER),
            ).fetchall()
            ours, theirs = (sql.Identifier(s.location.name).as_string(cursor) for s in (self, other))
            yield cursor, ours, theirs, columns

    def make_durable(self) -> None:
        self._durable = True
        self._writer.execute("SET synchronous_commit = on")
        # A commit that waits for the log on disk: every commit before it is there too.
        with self._writer.transaction():
            self._writer.execute("SELECT pg_current_xact_id()")

    def close(self) -> None:
        self._readers.close()
        self._writer.close()


def _connect(location: PostgresSchema) -> psycopg.Connection[Any]:
    connection = psycopg.connect(
        location.conninfo, autocommit=True, cursor_factory=SqliteStyleCursor
    )
    schema = sql.Identifier(location.name)
    connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
    _use(connection, location.name)
    return connection


def _use(connection: psycopg.Connection[Any], schema: str) -> None:
    connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
