"""The statistics store: projected views plus the positions already applied, in a SQLite
file or a PostgreSQL schema (see ``locations``).

Every batch is applied in one transaction together with the positions it advances, so a
redelivered or replayed event is recognised and never counted twice.
"""

import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from peerwork_common.eventstore.schema_migrations import YOYO_TABLES
from peerwork_common.messaging.projections import APPLIED, UNCHANGED, Refusal
from peerwork_contracts.envelope import Event

from ..ports import Cursor, Location, Rows
from ..projection import census_changes
from ..projection.views import project
from .sqlite import SqliteFile

# The views' tables, made and changed by versioned migrations when a store is opened.
MIGRATIONS = Path(__file__).parents[1] / "migrations" / "views"

_STREAM = "__stream__"  # row of applied_positions holding the last stream sequence
# Positions, what is computed from the views when read, and changes not folded in yet
# (``differences`` folds them first): not compared between stores.
_NOT_VIEWS = {
    "applied_positions", "parked_messages", "census_checkpoints", "census_stale_months", "census_pending",
    *YOYO_TABLES,  # which migrations each store had
}
# Rows that say nothing: a change summing to 0 is kept or not depending on how batches fell.
_NOTHING = {"census_changes": "delta <> 0"}
# Columns compared as an expression: an erased person's token is drawn at random
# (``projection.collective``), so two stores hold different ones for the same rows.
_COMPARED_AS = {
    ("collective_participants", "peer_worker_id"):
        "CASE WHEN peer_worker_id LIKE 'erased-%' THEN 'erased' ELSE peer_worker_id END",
}

class StatisticsStore:
    def __init__(self, location: Location | Path, *, durable: bool = True) -> None:
        """``location``: a PostgreSQL schema, or a SQLite file (a path will do).
        ``durable``: each batch is on disk when applied, so it can be acknowledged; a
        store being rebuilt need not be, until it is switched to (see ``switch_to``)."""
        location = SqliteFile(location) if isinstance(location, Path) else location
        self._lock = threading.Lock()
        self._storage = location.open(MIGRATIONS, durable)
        with self._storage.transaction() as cursor:
            self._last_sequence = _positions(cursor).get(_STREAM, 0)
            (self._pending,) = cursor.execute("SELECT COUNT(*) FROM census_pending").fetchone()
        self._mirror: StatisticsStore | None = None
        self._stale = True  # the census checkpoints may lag the changes

    @property
    def migrated(self) -> list[str]:
        """The migrations opening it applied (``python -m peerwork_reporting migrate``)."""
        return self._storage.migrated

    @property
    def location(self) -> Location:
        return self._storage.location

    def close(self) -> None:
        self._storage.close()

    def apply(self, events: Sequence[Event], last_sequence: int, parked: Sequence[int] = ()) -> list[Refusal]:
        """Applies the events not applied yet, and records the stream position reached and
        the messages ``parked`` as unreadable (see ``replay``).

        Every valid contract event is accepted."""
        with self._lock, self._storage.transaction() as cursor:
            # Their sources' positions move past them: only this says they were not applied.
            cursor.executemany(
                "INSERT INTO parked_messages VALUES (?) ON CONFLICT (sequence) DO NOTHING", [(s,) for s in parked]
            )
            positions = _positions(cursor)
            fresh = []
            for event in events:
                if event.position > positions.get(event.source, 0):
                    fresh.append(event)
                    positions[event.source] = event.position
            # A count to decide when to fold, not a record: a batch rolled back leaves it off.
            self._pending += project(cursor, fresh)
            if self._pending >= census_changes.FOLD_AT:
                census_changes.fold(cursor)
                self._pending = 0
            positions[_STREAM] = last_sequence
            cursor.executemany(
                "INSERT INTO applied_positions VALUES (?, ?) "
                "ON CONFLICT (source) DO UPDATE SET position = excluded.position",
                list(positions.items()),
            )
        self._last_sequence = last_sequence
        self._stale = True
        if self._mirror is not None:
            # It may be ahead of this store: it skips what it holds, and keeps its position.
            self._mirror.apply(events, max(last_sequence, self._mirror.last_sequence()), parked)
        return []

    def replay(self, event: Event, sequence: int) -> str:
        """Applies ``event``, parked as unreadable from stream sequence ``sequence``, if it is
        still parked here: once, and whatever its source's position (a rebuild that could
        read it applied it instead, and parked nothing)."""
        with self._lock, self._storage.transaction() as cursor:
            if cursor.execute("SELECT 1 FROM parked_messages WHERE sequence = ?", (sequence,)).fetchone() is None:
                return UNCHANGED
            cursor.execute("DELETE FROM parked_messages WHERE sequence = ?", (sequence,))
            self._pending += project(cursor, [event])
        self._stale = True
        return APPLIED

    def mirror_to(self, other: "StatisticsStore | None") -> None:
        """Applies every batch to ``other`` too, after this store (None: stops)."""
        self._mirror = other

    def switch_to(self, other: "StatisticsStore") -> None:
        """Serves and records from ``other``'s store from now on; ``other`` is used up."""
        with self._lock:
            other._storage.make_durable()
            self._storage.close()
            self._storage, self._last_sequence = other._storage, other._last_sequence
            self._pending = other._pending
            self._mirror, self._stale = None, True

    def differences(self, other: "StatisticsStore") -> list[str]:
        """The views whose rows differ between this store and ``other`` (empty: they agree)."""
        for store in (self, other):
            store._fold()
        with self._storage.comparison(other._storage) as (cursor, ours, theirs, columns):
            views: defaultdict[str, list[str]] = defaultdict(list)
            for view, column in columns:
                if view not in _NOT_VIEWS:
                    views[view].append(_COMPARED_AS.get((view, column), column))
            return [
                view for view, names in views.items()
                if not _same_rows(cursor, f"{ours}.{view}", f"{theirs}.{view}", ", ".join(names), _NOTHING.get(view))
            ]

    def last_sequence(self) -> int:
        """Stream sequence of the last message applied."""
        return self._last_sequence

    def ping(self) -> None:
        """Answers when the database does (readiness)."""
        with self._storage.snapshot() as cursor:
            cursor.execute("SELECT 1").fetchone()

    def read(self, query: Callable[[Cursor, str], Rows], as_of: date) -> Rows:
        """Runs ``query`` for the end of ``as_of`` on one snapshot of the views."""
        if self._stale:
            with self._lock, self._storage.transaction() as cursor:
                census_changes.refresh(cursor)
                self._stale, self._pending = False, 0
        with self._storage.snapshot() as cursor:
            return query(cursor, as_of.isoformat())


    def _fold(self) -> None:
        with self._lock, self._storage.transaction() as cursor:
            census_changes.fold(cursor)
            self._pending = 0


def _positions(cursor: Cursor) -> dict[str, int]:
    return dict(cursor.execute("SELECT source, position FROM applied_positions").fetchall())


def _same_rows(cursor: Cursor, ours: str, theirs: str, columns: str, where: str | None) -> bool:
    """Same rows (those ``where`` holds), each as many times: the tables are compared as
    multisets."""
    where = f"WHERE {where}" if where else ""
    counted = "SELECT {columns}, COUNT(*) FROM {table} {where} GROUP BY {columns}"
    (differing,) = cursor.execute(
        f"SELECT COUNT(*) FROM ({counted.format(columns=columns, table=ours, where=where)} "
        f"EXCEPT {counted.format(columns=columns, table=theirs, where=where)}) AS differing"
    ).fetchone()
    (count,) = cursor.execute(f"SELECT COUNT(*) FROM {ours} {where}").fetchone()
    (other,) = cursor.execute(f"SELECT COUNT(*) FROM {theirs} {where}").fetchone()
    return differing == 0 and count == other
