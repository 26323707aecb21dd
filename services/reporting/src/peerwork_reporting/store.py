"""The statistics store (SQLite): projected views plus the positions already applied.

Every batch is applied in one transaction together with the positions it advances, so a
redelivered or replayed event is recognised and never counted twice.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

from peerwork_common.consumer import Refusal
from peerwork_contracts.envelope import Event

from . import census_changes
from .projection import SCHEMA, project

_STREAM = "__stream__"  # row of applied_positions holding the last stream sequence
# Positions, and what is computed from the views when read: not compared between stores.
_NOT_VIEWS = {"applied_positions", "census_checkpoints", "census_stale_months"}

Rows = TypeVar("Rows")


def current_path(configured: Path) -> Path:
    """The store file in use: the configured one, or the last rebuild's, which the file
    ``<configured>.current`` names once a rebuild has switched over to it."""
    pointer = pointer_path(configured)
    return configured.with_name(pointer.read_text().strip()) if pointer.exists() else configured


def pointer_path(configured: Path) -> Path:
    return configured.with_name(configured.name + ".current")


class StatisticsStore:
    def __init__(self, path: Path, *, durable: bool = True) -> None:
        """``durable``: each batch is on disk when applied, so it can be acknowledged; a
        store being rebuilt need not be, until it is switched to (see ``switch_to``)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._durable = durable
        self._lock = threading.Lock()
        self._writer = self._connect()
        self._writer.executescript(SCHEMA)
        self._last_sequence = self._positions().get(_STREAM, 0)
        self._mirror: StatisticsStore | None = None
        self._stale = True  # the census checkpoints may lag the changes

    @property
    def path(self) -> Path:
        return self._path

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, check_same_thread=False, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        # An acknowledged batch must survive a power cut, or it would never be counted.
        connection.execute(f"PRAGMA synchronous={'FULL' if self._durable else 'OFF'}")
        return connection

    def close(self) -> None:
        self._writer.close()

    def apply(self, events: Sequence[Event], last_sequence: int) -> list[Refusal]:
        """Applies the events not applied yet, and records the stream position reached.

        Every valid contract event is accepted."""
        with self._lock, self._writer:
            positions = self._positions()
            fresh = []
            for event in events:
                if event.position > positions.get(event.source, 0):
                    fresh.append(event)
                    positions[event.source] = event.position
            cursor = self._writer.cursor()
            project(cursor, fresh)
            positions[_STREAM] = last_sequence
            cursor.executemany(
                "INSERT INTO applied_positions VALUES (?, ?) "
                "ON CONFLICT (source) DO UPDATE SET position = excluded.position",
                positions.items(),
            )
        self._last_sequence = last_sequence
        self._stale = True
        if self._mirror is not None:
            # It may be ahead of this store: it skips what it holds, and keeps its position.
            self._mirror.apply(events, max(last_sequence, self._mirror.last_sequence()))
        return []

    def mirror_to(self, other: "StatisticsStore | None") -> None:
        """Applies every batch to ``other`` too, after this store (None: stops)."""
        self._mirror = other

    def switch_to(self, other: "StatisticsStore") -> None:
        """Serves and records from ``other``'s file from now on; ``other`` is used up."""
        with self._lock:
            other._writer.execute("PRAGMA synchronous=FULL")
            other._writer.execute("PRAGMA wal_checkpoint(FULL)")  # what it holds, on disk now
            self._writer.close()
            self._path, self._writer, self._last_sequence = other._path, other._writer, other._last_sequence
            self._mirror, self._stale = None, True

    def differences(self, other: "StatisticsStore") -> list[str]:
        """The views whose rows differ between this store and ``other`` (empty: they agree)."""
        with self._reader() as connection:
            connection.execute("ATTACH DATABASE ? AS other", (str(other.path),))
            connection.execute("BEGIN")
            views = [
                name for (name,) in connection.execute(
                    "SELECT name FROM main.sqlite_master WHERE type = 'table'"
                )
                if name not in _NOT_VIEWS
            ]
            return [view for view in views if not _same_rows(connection, view)]

    def last_sequence(self) -> int:
        """Stream sequence of the last message applied."""
        return self._last_sequence

    def _positions(self) -> dict[str, int]:
        return dict(self._writer.execute("SELECT source, position FROM applied_positions"))

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self._path, timeout=30)
        try:
            yield connection
        finally:
            connection.close()

    def read(self, query: Callable[[sqlite3.Connection, str], Rows], as_of: date) -> Rows:
        """Runs ``query`` for the end of ``as_of`` on one snapshot of the views."""
        if self._stale:
            with self._lock, self._writer:
                census_changes.refresh(self._writer)
                self._stale = False
        with self._reader() as connection:
            connection.execute("BEGIN")  # else a batch committed between two SELECTs shows in one only
            return query(connection, as_of.isoformat())


def _same_rows(connection: sqlite3.Connection, view: str) -> bool:
    """Same rows, each as many times: the tables are compared as multisets."""
    columns = ", ".join(row[1] for row in connection.execute(f"PRAGMA main.table_info({view})"))
    counted = "SELECT {columns}, COUNT(*) FROM {db}.{view} GROUP BY {columns}"
    (differing,) = connection.execute(
        f"SELECT COUNT(*) FROM ({counted.format(columns=columns, db='main', view=view)} "
        f"EXCEPT {counted.format(columns=columns, db='other', view=view)})"
    ).fetchone()
    (count,) = connection.execute(f"SELECT COUNT(*) FROM main.{view}").fetchone()
    (other,) = connection.execute(f"SELECT COUNT(*) FROM other.{view}").fetchone()
    return differing == 0 and count == other
