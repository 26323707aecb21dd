"""The statistics store in a SQLite file: the default, for one machine."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from peerwork_common.eventstore.schema_migrations import migrate_database, sqlite_uri

_IDLE_READERS = 4  # readers kept open; more reading at once open and close their own
# The writer's page cache, in KiB (SQLite's negative ``cache_size``), which also bounds the
# sorter of a fold's GROUP BY (bench/README.md, 2026-12-04). 64 MB, as every store had, was
# filled by the first read after a fold (+67 MB on a rebuilt million events, +144 MB with the
# sorter on one with changes pending) and by making the releases, for live batches no faster:
# 20,000 events in batches of 500 onto a million-event store, 11,400-14,000 events/s with
# SQLite's default (2,000 KiB), 8,600-14,600 with 64 MB. A store being built, in batches of
# 10,000 over random keys: 300,000 events at 21,500/s with 16 MB, 15,400-16,900/s with 64 MB,
# which held 56 MB more.
_SERVING_CACHE = -2_000
_BUILDING_CACHE = -16_384


@dataclass(frozen=True)
class SqliteFile:
    """A store's file. The configured one names, in ``<file>.current``, the file of the
    last rebuild switched to, if any."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    def open(self, migrations: Path, durable: bool) -> "SqliteStorage":
        return SqliteStorage(self, migrations, durable)

    def in_use(self) -> "SqliteFile":
        pointer = self._pointer()
        if not pointer.exists():
            return self
        return SqliteFile(self.path.with_name(pointer.read_text().strip()))

    def fresh(self, now: datetime) -> "SqliteFile":
        name = f"{self.path.stem}-{now:%Y%m%dT%H%M%S}{self.path.suffix}"
        return SqliteFile(self.path.with_name(name))

    def point_to(self, other: "SqliteFile") -> None:
        self._pointer().write_text(other.name + "\n")

    def _pointer(self) -> Path:
        return self.path.with_name(self.path.name + ".current")


class SqliteStorage:
    def __init__(self, location: SqliteFile, migrations: Path, durable: bool) -> None:
        location.path.parent.mkdir(parents=True, exist_ok=True)
        self.location = location
        self.migrated = migrate_database(sqlite_uri(location.path), migrations)
        self._writer = sqlite3.connect(location.path, check_same_thread=False, timeout=30)
        self._writer.execute("PRAGMA journal_mode=WAL")
        # An acknowledged batch must survive a power cut, or it would never be counted.
        self._writer.execute(f"PRAGMA synchronous={'FULL' if durable else 'OFF'}")
        self._writer.execute(f"PRAGMA cache_size={_SERVING_CACHE if durable else _BUILDING_CACHE}")
        self._idle_readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        with self._writer:
            yield self._writer.cursor()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Cursor]:
        connection = self._idle_reader()
        try:
            connection.execute("BEGIN")  # else a batch committed between two SELECTs shows in one only
            yield connection.cursor()
        finally:
            self._put_back(connection)

    def _idle_reader(self) -> sqlite3.Connection:
        # Readers are kept between reads: opening one, and SQLite reading the schema again at
        # its first query, was a sixth of a release's read at a million events.
        with self._readers_lock:
            if self._idle_readers:
                return self._idle_readers.pop()
        return sqlite3.connect(self.location.path, timeout=30, check_same_thread=False)

    def _put_back(self, connection: sqlite3.Connection) -> None:
        try:
            connection.rollback()  # ends the snapshot: a reader in one holds the WAL back
        except sqlite3.Error:
            connection.close()
            return
        with self._readers_lock:
            if not self._closed and len(self._idle_readers) < _IDLE_READERS:
                self._idle_readers.append(connection)
                return
        connection.close()

    @contextmanager
    def comparison(
        self, other: "SqliteStorage"
    ) -> Iterator[tuple[sqlite3.Cursor, str, str, list[tuple[str, str]]]]:
        with self._reader() as connection:
            connection.execute("ATTACH DATABASE ? AS other", (str(other.location.path),))
            connection.execute("BEGIN")
            columns = connection.execute(
                "SELECT t.name, c.name FROM main.sqlite_master t, pragma_table_info(t.name, 'main') c "
                "WHERE t.type = 'table' ORDER BY t.name, c.cid"
            ).fetchall()
            yield connection.cursor(), "main", "other", columns

    def make_durable(self) -> None:
        self._writer.execute("PRAGMA synchronous=FULL")
        self._writer.execute(f"PRAGMA cache_size={_SERVING_CACHE}")  # frees the pages above it
        self._writer.execute("PRAGMA wal_checkpoint(FULL)")  # what it holds, on disk now

    def close(self) -> None:
        with self._readers_lock:
            self._closed = True
            idle, self._idle_readers = self._idle_readers, []
        for connection in idle:
            connection.close()
        self._writer.close()

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.location.path, timeout=30)
        try:
            yield connection
        finally:
            connection.close()
