"""What the accompaniment knows of the registry's records: the département of each peer
worker and partner structure, for the territory checks of the commands that name them.

Kept from the registry's public events (services never call each other), by a durable
consumer of ``peerwork.registry.>``: each batch is written with its stream position in one
transaction, in the service's own database, so a redelivered batch changes nothing. It lags
the registry by the time an event takes to cross the bus. An erased peer worker's
département is deleted with their erasure (``peer_worker.erased``): what stays is only that
the id was erased. Whether a peer worker is withdrawn from the census (``peer_worker.withdrawn``,
since its day, undone by ``peer_worker.reinstated``) is kept beside, with its own position.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from peerwork_common.eventstore.datastores import Datastore, datastore_of, mark, table
from peerwork_common.messaging.projections import APPLIED, UNCHANGED, Refusal
from peerwork_contracts import registry as contract
from peerwork_contracts.envelope import Event

PEER_WORKER = "peer worker"
STRUCTURE = "partner structure"

# The one row of the position table.
_STREAM = "stream"


@dataclass(frozen=True)
class RegistryRecord:
    kind: str  # PEER_WORKER or STRUCTURE
    departement: str | None  # None once the peer worker's record was erased
    # The day a peer worker was withdrawn from the census (left, or consent withdrawn); None if not.
    withdrawn_on: date | None = None

    @property
    def erased(self) -> bool:
        return self.departement is None


class RegistryRecords:
    """The registry's peer workers and structures by id, with their département."""

    def __init__(self, datastore: Datastore) -> None:
        self._datastore = datastore
        self._records = table(datastore, "registry_records")
        self._position = table(datastore, "registry_records_position")
        self._withdrawals = table(datastore, "registry_withdrawals")
        self._mark = mark(datastore)

    @classmethod
    def of(cls, application: Application[UUID]) -> "RegistryRecords":
        """The records kept in ``application``'s database."""
        datastore = datastore_of(application)
        if datastore is None:
            raise TypeError("the registry's records need SQLite or PostgreSQL persistence")
        return cls(datastore)  # its tables made by the service's migrations/

    def get(self, record_id: UUID) -> RegistryRecord | None:
        """The record of that id, as far as the registry's events have come; None if unknown."""
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT kind, departement, withdrawn_on FROM {self._records} AS r "
                f"LEFT JOIN {self._withdrawals} AS w ON w.id = r.id WHERE r.id = {self._mark}",
                (str(record_id),),
            )
            row = cursor.fetchone()
        if row is None:
            return None
        withdrawn_on = row["withdrawn_on"] and date.fromisoformat(row["withdrawn_on"])
        return RegistryRecord(row["kind"], row["departement"], withdrawn_on)

    def last_sequence(self) -> int:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT position FROM {self._position} WHERE name = {self._mark}", (_STREAM,))
            row = cursor.fetchone()
        return 0 if row is None else int(row["position"])

    def apply(self, events: Sequence[Event], last_sequence: int, parked: Sequence[int] = ()) -> list[Refusal]:
        """Keeps the départements the events give, and ``last_sequence``, in one transaction.
        Nothing is refused: events that say nothing of a département are passed over.
        ``parked`` is not kept: each record's own position tells what was applied."""
        m = self._mark
        changes = [change for event in events if (change := _change(event)) is not None]
        withdrawals = [change for event in events if (change := _withdrawal(event)) is not None]
        with self._datastore.transaction(commit=True) as cursor:
            for change in changes:
                self._keep(cursor, change)
            for withdrawal in withdrawals:
                self._keep_withdrawal(cursor, withdrawal)
            cursor.execute(
                f"INSERT INTO {self._position} (name, position) VALUES ({m}, {m}) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (_STREAM, last_sequence),
            )
        return []

    def replay(self, event: Event, sequence: int) -> str:
        """Keeps what an event parked earlier gives, unless the record has moved on since."""
        change, withdrawal = _change(event), _withdrawal(event)
        if change is None and withdrawal is None:
            return UNCHANGED
        with self._datastore.transaction(commit=True) as cursor:
            kept = change is not None and self._keep(cursor, change)
            kept = (withdrawal is not None and self._keep_withdrawal(cursor, withdrawal)) or kept
            return APPLIED if kept else UNCHANGED

    def _keep(self, cursor: Any, change: tuple[UUID, str, str | None, int]) -> bool:
        """Keeps the change unless the record holds a later one; says whether it did."""
        m = self._mark
        record_id, kind, departement, position = change
        # An event the registry published again, or replayed (its position in the registry's
        # log at or below the one kept), changes nothing.
        cursor.execute(
            f"INSERT INTO {self._records} AS kept (id, kind, departement, position) "
            f"VALUES ({m}, {m}, {m}, {m}) ON CONFLICT (id) DO UPDATE SET "
            "departement = excluded.departement, position = excluded.position "
            "WHERE kept.position < excluded.position RETURNING id",
            (str(record_id), kind, departement, position),
        )
        kept = cursor.fetchone() is not None
        if kept and departement is None:  # erased: what stays here is only that the id was
            cursor.execute(f"DELETE FROM {self._withdrawals} WHERE id = {m}", (str(record_id),))
        return kept

    def _keep_withdrawal(self, cursor: Any, withdrawal: tuple[UUID, str | None, int]) -> bool:
        """Keeps since when the peer worker is withdrawn (None: reinstated) unless a later
        event was kept; says whether it did."""
        m = self._mark
        record_id, withdrawn_on, position = withdrawal
        # Read again from the start (the migration that made the table), the events of an
        # erased person would bring their id back here: it stays out.
        cursor.execute(
            f"INSERT INTO {self._withdrawals} AS kept (id, withdrawn_on, position) "
            f"SELECT {m}, {m}, {m} WHERE NOT EXISTS "
            f"(SELECT 1 FROM {self._records} WHERE id = {m} AND departement IS NULL) "
            "ON CONFLICT (id) DO UPDATE SET withdrawn_on = excluded.withdrawn_on, position = excluded.position "
            "WHERE kept.position < excluded.position RETURNING id",
            (str(record_id), withdrawn_on, position, str(record_id)),
        )
        return cursor.fetchone() is not None


def _withdrawal(event: Event) -> tuple[UUID, str | None, int] | None:
    """(id, since when withdrawn, position) of a peer worker the event withdraws or
    reinstates (None); None for other events."""
    match event:
        case contract.PeerWorkerWithdrawn():
            withdrawn_on = event.occurred_at.isoformat()
        case contract.PeerWorkerReinstated():
            withdrawn_on = None
        case _:
            return None
    return event.aggregate_id, withdrawn_on, event.position


def _change(event: Event) -> tuple[UUID, str, str | None, int] | None:
    """(id, kind, département, position) of the record the event changes; None for other events."""
    payload: Any = event.payload
    match event:
        case contract.PartnerStructureRegistered() | contract.PartnerStructureCorrected():
            kind, departement = STRUCTURE, payload.departement
        case contract.PeerWorkerRegistered():
            kind, departement = PEER_WORKER, payload.departement
        case contract.PeerWorkerMoved():
            kind, departement = PEER_WORKER, payload.to_departement
        case contract.PeerWorkerRegistrationCorrected():
            kind, departement = PEER_WORKER, payload.now_in
        case contract.PeerWorkerErased():
            kind, departement = PEER_WORKER, None
        case _:
            return None
    return event.aggregate_id, kind, departement, event.position
