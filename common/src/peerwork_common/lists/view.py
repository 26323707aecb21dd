"""A list's tables in the write service's own database (SQLite or PostgreSQL, through its
event store's connections), with a tracking table of their own: eventsourcing's
``TrackingRecorder``, whose position changes in the transaction that changes the rows."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresDatastore

from peerwork_common.eventstore.datastores import Datastore, table


class ListView(TrackingRecorder):
    """Tables ``tables`` (their names, those referred to first), made with their tracking
    table ``<name>_tracking`` by the service's migrations. Queries are written with ``?``
    for their parameters (``sql`` gives them to the database's driver)."""

    def __init__(
        self,
        datastore: Datastore,
        name: str,
        tables: Sequence[str],
    ) -> None:
        self.datastore = datastore
        self.name = name
        self._tables = tuple(tables)
        self._tracking = table(datastore, f"{name}_tracking")
        self._postgres = isinstance(datastore, PostgresDatastore)

    def table(self, name: str) -> str:
        """One of the view's tables, as queries name it."""
        if name not in self._tables:
            raise KeyError(f"the view {self.name} has no table {name}")
        return table(self.datastore, name)

    def sql(self, query: str) -> str:
        """``query`` with the parameter marks of the database's driver."""
        return query.replace("?", "%s") if self._postgres else query

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """A read-only transaction: one snapshot of the rows, on SQLite as on PostgreSQL."""
        with self.datastore.transaction(commit=False) as cursor:
            yield cursor

    @contextmanager
    def changing(self, tracking: Tracking, *, rebuilding: bool = False) -> Iterator[Any]:
        """A transaction that records ``tracking`` first, then lets the caller change the
        rows up to that position. IntegrityError, and nothing changed, when the view is
        already there (another thread or process applied it first): recording the position
        first makes the others wait for this transaction, and then find it done.
        ``rebuilding``: the rows are emptied first, and the position recorded whatever it was."""
        with self.datastore.transaction(commit=True) as cursor:
            if not self._postgres:
                # Rows deleted (an erased person's) are overwritten in the pages they leave.
                cursor.execute("PRAGMA secure_delete = ON")
            self._track(cursor, tracking, forward_only=not rebuilding)
            if rebuilding:
                for name in reversed(list(self._tables)):  # the tables referring to others first
                    cursor.execute(f"DELETE FROM {self.table(name)}")
            yield cursor

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.changing(tracking):
            pass

    def max_tracking_id(self, application_name: str) -> int | None:
        with self.reading() as cursor:
            cursor.execute(
                self.sql(f"SELECT notification_id FROM {self._tracking} WHERE application_name = ?"),
                (application_name,),
            )
            row = cursor.fetchone()
            return None if row is None else row["notification_id"]

    def _track(self, cursor: Any, tracking: Tracking, *, forward_only: bool) -> None:
        condition = " WHERE tracked.notification_id < excluded.notification_id" if forward_only else ""
        cursor.execute(
            self.sql(
                f"INSERT INTO {self._tracking} AS tracked (application_name, notification_id) VALUES (?, ?) "
                "ON CONFLICT (application_name) DO UPDATE SET notification_id = excluded.notification_id"
                f"{condition} RETURNING notification_id"
            ),
            (tracking.application_name, tracking.notification_id),
        )
        if cursor.fetchone() is None:
            raise IntegrityError(
                f"the view {self.name} is already at or past {tracking.application_name} "
                f"notification {tracking.notification_id}"
            )


def placeholders(values: Sequence[object]) -> str:
    """``?, ?, ?``: one mark for each of ``values``, for ``IN (...)``."""
    return ", ".join("?" * len(values))
