"""How each public event changes the statistics views.

The views keep effective-dated spells (``starts_on`` inclusive, ``ends_on`` exclusive) so
that any figure can be read as it stood at the end of any day. Functions take an open
transaction's cursor; the store commits them together with the applied position.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from peerwork_contracts import registry as events
from peerwork_contracts.envelope import Event

from ..ports import Cursor
from . import (
    census_changes,
    census_contributions,
    collective,
    peer_worker_histories,
    peer_worker_history_rows,
    structure_corrections,
)
from .activity import ACTIVITY_PROJECTORS
from .collective import COLLECTIVE_PROJECTORS

Apply = Callable[[Cursor, Event], None]


def _structure_registered(cur: Cursor, event: events.PartnerStructureRegistered) -> None:
    cur.execute(
        "INSERT INTO structure_spells VALUES (?, ?, ?, ?, NULL)",
        (str(event.aggregate_id), event.payload.departement, event.payload.sector, event.occurred_at.isoformat()),
    )


PROJECTORS: dict[type[Event], Apply] = {
    events.PartnerStructureRegistered: _structure_registered,
    **ACTIVITY_PROJECTORS,
    **COLLECTIVE_PROJECTORS,
}


def project(cur: Cursor, batch: Iterable[Event]) -> int:
    """Applies a batch of events in order. A peer worker's events go to their history
    (``peer_worker_histories``), written back once per batch with the difference it makes
    to the census; their rows are theirs alone, so this keeps the batch's order. Returns
    the census changes left pending (``census_changes.write``)."""
    changes: census_contributions.Changes = Counter()
    of_peer_workers: dict[str, list[Event]] = defaultdict(list)
    for event in batch:
        if isinstance(event, events.PeerWorkerErased):
            collective.erase(cur, event)  # in the batch's order: after the meetings before it
        if isinstance(event, peer_worker_histories.EVENTS):
            of_peer_workers[str(event.aggregate_id)].append(event)
            continue
        if isinstance(event, events.PartnerStructureRegistered):
            payload = event.payload
            changes.update(census_contributions.structure_contributions(
                payload.departement, payload.sector, event.occurred_at.isoformat()
            ))
        if isinstance(event, events.PartnerStructureCorrected):
            changes.update(structure_corrections.correct(cur, event))
            continue
        projector = PROJECTORS.get(type(event))
        if projector is not None:  # one no view needs is passed over
            projector(cur, event)
    histories = peer_worker_history_rows.load(cur, of_peer_workers)
    before = structure_corrections.sectors(cur, histories.values())
    for peer_worker_id, history in histories.items():
        if history.stored:
            changes.subtract(census_contributions.peer_worker_contributions(history, before))
        for event in of_peer_workers[peer_worker_id]:
            history.apply(event)
    # The structures' sectors as they are now, both before and after: a correction earlier in
    # the batch has moved the stored histories' counts to its sector already.
    after = {**before, **structure_corrections.sectors(cur, histories.values(), known=before)}
    for history in histories.values():
        changes.update(census_contributions.peer_worker_contributions(history, after))
    peer_worker_history_rows.save(cur, histories)
    return census_changes.write(cur, changes)
