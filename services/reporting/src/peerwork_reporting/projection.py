"""How each public event changes the statistics views.

The views keep effective-dated spells (``starts_on`` inclusive, ``ends_on`` exclusive) so
that any figure can be read as it stood at the end of any day. Functions take an open
transaction's cursor; the store commits them together with the applied position.
"""

from collections import Counter
from collections.abc import Callable, Iterable

from peerwork_contracts import registry as events
from peerwork_contracts.envelope import Event

from . import census_changes
from .locations import Cursor
from .activity_projection import ACTIVITY_PROJECTORS, ACTIVITY_SCHEMA

SCHEMA = """
CREATE TABLE IF NOT EXISTS applied_positions (
    source TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS structure_spells (
    structure_id TEXT NOT NULL,
    departement TEXT NOT NULL,
    sector TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);
CREATE TABLE IF NOT EXISTS peer_worker_spells (
    peer_worker_id TEXT NOT NULL,
    departement TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);
CREATE TABLE IF NOT EXISTS peer_worker_domains (
    peer_worker_id TEXT NOT NULL,
    domain TEXT NOT NULL,
    PRIMARY KEY (peer_worker_id, domain)
);
CREATE TABLE IF NOT EXISTS employments (
    employment_id TEXT PRIMARY KEY,
    peer_worker_id TEXT NOT NULL,
    structure_id TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);
CREATE INDEX IF NOT EXISTS peer_worker_spells_by_worker ON peer_worker_spells (peer_worker_id);
CREATE INDEX IF NOT EXISTS employments_by_worker ON employments (peer_worker_id);
""" + census_changes.SCHEMA + ACTIVITY_SCHEMA

Apply = Callable[[Cursor, Event], None]


def _structure_registered(cur: Cursor, event: events.PartnerStructureRegistered) -> None:
    cur.execute(
        "INSERT INTO structure_spells VALUES (?, ?, ?, ?, NULL)",
        (str(event.aggregate_id), event.payload.departement, event.payload.sector, event.occurred_at.isoformat()),
    )


def _peer_worker_registered(cur: Cursor, event: events.PeerWorkerRegistered) -> None:
    peer_worker_id = str(event.aggregate_id)
    cur.execute(
        "INSERT INTO peer_worker_spells VALUES (?, ?, ?, NULL)",
        (peer_worker_id, event.payload.departement, event.occurred_at.isoformat()),
    )
    cur.executemany(
        "INSERT INTO peer_worker_domains VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(peer_worker_id, domain.value) for domain in event.payload.domains],
    )


def _close_spell(cur: Cursor, event: Event) -> None:
    cur.execute(
        "UPDATE peer_worker_spells SET ends_on = ? WHERE peer_worker_id = ? AND ends_on IS NULL",
        (event.occurred_at.isoformat(), str(event.aggregate_id)),
    )


def _peer_worker_moved(cur: Cursor, event: events.PeerWorkerMoved) -> None:
    _close_spell(cur, event)
    cur.execute(
        "INSERT INTO peer_worker_spells VALUES (?, ?, ?, NULL)",
        (str(event.aggregate_id), event.payload.to_departement, event.occurred_at.isoformat()),
    )


def _peer_worker_withdrawn(cur: Cursor, event: events.PeerWorkerWithdrawn) -> None:
    _close_spell(cur, event)
    day = event.occurred_at.isoformat()
    cur.execute(
        "UPDATE employments SET ends_on = ? "
        "WHERE peer_worker_id = ? AND (ends_on IS NULL OR ends_on > ?)",
        (day, str(event.aggregate_id), day),
    )


def _employment_recorded(cur: Cursor, event: events.EmploymentRecorded) -> None:
    payload = event.payload
    cur.execute(
        "INSERT INTO employments VALUES (?, ?, ?, ?, ?)",
        (
            str(payload.employment_id),
            str(event.aggregate_id),
            str(payload.structure_id),
            payload.starts_on.isoformat(),
            payload.ends_on.isoformat() if payload.ends_on else None,
        ),
    )


def _employment_ended(cur: Cursor, event: events.EmploymentEnded) -> None:
    cur.execute(
        "UPDATE employments SET ends_on = ? WHERE employment_id = ?",
        (event.payload.ends_on.isoformat(), str(event.payload.employment_id)),
    )


PROJECTORS: dict[type[Event], Apply] = {
    events.PartnerStructureRegistered: _structure_registered,
    events.PeerWorkerRegistered: _peer_worker_registered,
    events.PeerWorkerMoved: _peer_worker_moved,
    events.PeerWorkerWithdrawn: _peer_worker_withdrawn,
    events.EmploymentRecorded: _employment_recorded,
    events.EmploymentEnded: _employment_ended,
    **ACTIVITY_PROJECTORS,
}
_OF_A_PEER_WORKER = (
    events.PeerWorkerRegistered,
    events.PeerWorkerMoved,
    events.PeerWorkerWithdrawn,
    events.EmploymentRecorded,
    events.EmploymentEnded,
)


def project(cur: Cursor, batch: Iterable[Event]) -> None:
    """Applies a batch of events in order. A peer worker's census changes are written once
    per batch, from their history before their first event in it to after their last."""
    changes: census_changes.Changes = Counter()
    before: dict[str, census_changes.Changes] = {}
    for event in batch:
        if isinstance(event, _OF_A_PEER_WORKER):
            peer_worker_id = str(event.aggregate_id)
            if peer_worker_id not in before:
                before[peer_worker_id] = census_changes.peer_worker_contributions(cur, peer_worker_id)
        elif isinstance(event, events.PartnerStructureRegistered):
            payload = event.payload
            changes.update(census_changes.structure_contributions(
                payload.departement, payload.sector, event.occurred_at.isoformat()
            ))
        projector = PROJECTORS.get(type(event))
        if projector is not None:  # one no view needs is passed over
            projector(cur, event)
    for peer_worker_id, contributions in before.items():
        changes.update(census_changes.peer_worker_contributions(cur, peer_worker_id))
        changes.subtract(contributions)
    census_changes.write(cur, changes)
