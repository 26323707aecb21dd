"""The audit log of reads: who read which person's record, when, in which request.

Kept in the service's own database, through its event store's connections (SQLite or
PostgreSQL, whatever the service's settings chose), in one table made by common's migrations.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore

from peerwork_common.eventstore.datastores import Datastore, datastore_of, mark, table
from peerwork_common.eventstore.provenance import acting

# The largest page ``entries`` gives: the log grows with every read.
MAX_PAGE = 500


@dataclass(frozen=True)
class Read:
    id: int
    at: datetime
    subject: str
    record_id: UUID
    record_kind: str
    request_id: str | None


class AuditLog:
    """Reads of people's records, newest first."""

    def __init__(self, datastore: Datastore) -> None:
        self._datastore = datastore
        self._table, self._mark = table(datastore, "audit_reads"), mark(datastore)

    @classmethod
    def of(cls, application: Application[UUID]) -> "AuditLog":
        """The audit log in ``application``'s database."""
        datastore = datastore_of(application)
        if datastore is None:
            raise TypeError("the audit log needs SQLite or PostgreSQL persistence")
        return cls(datastore)

    def record_read(self, record_id: UUID, record_kind: str) -> None:
        """Logs that the caller acting now (``provenance.acting``) read that record."""
        self.record_reads([record_id], record_kind)

    def record_reads(self, record_ids: Sequence[UUID], record_kind: str) -> None:
        """Logs that the caller acting now read those records, as one read of each: a page
        of a list shows each person on it as the record route would."""
        if not record_ids:
            return
        who = acting()
        at, by, request_id = self._now(), who.by if who else "unknown", who.request_id if who else None
        rows = [(at, by, str(record_id), record_kind, request_id) for record_id in record_ids]
        marks = ", ".join([self._mark] * len(rows[0]))
        with self._datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                f"INSERT INTO {self._table} (at, subject, record_id, record_kind, request_id) VALUES ({marks})", rows
            )

    def entries(
        self,
        *,
        record_id: UUID | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        before: int | None = None,
        limit: int = 100,
    ) -> list[Read]:
        """The reads that match every filter given, newest first; ``before``: an entry id,
        to page back from."""
        conditions, values = [], []
        for condition, value in (
            ("record_id = {}", None if record_id is None else str(record_id)),
            ("subject = {}", subject),
            ("at >= {}", None if since is None else self._time_value(since)),
            ("id < {}", before),
        ):
            if value is not None:
                conditions.append(condition.format(self._mark))
                values.append(value)
        where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
        query = f"SELECT * FROM {self._table} {where}ORDER BY id DESC LIMIT {self._mark}"
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(query, (*values, min(limit, MAX_PAGE)))
            return [self._read(dict(row)) for row in cursor.fetchall()]

    def _now(self) -> Any:
        return self._time_value(datetime.now(UTC))

    def _time_value(self, moment: datetime) -> Any:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if isinstance(self._datastore, PostgresDatastore):
            return moment
        return moment.astimezone(UTC).isoformat(timespec="microseconds")

    @staticmethod
    def _read(row: dict[str, Any]) -> Read:
        at = row["at"] if isinstance(row["at"], datetime) else datetime.fromisoformat(row["at"])
        return Read(row["id"], at, row["subject"], UUID(row["record_id"]), row["record_kind"], row["request_id"])
