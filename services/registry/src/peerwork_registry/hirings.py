"""Hirings recorded by the accompaniment service become employments in the registry.

The registry subscribes to the accompaniment's ``peer_worker_hired`` events (never calls it
over HTTP). Each hiring is saved together with its position in the accompaniment's log, so
a redelivered hiring changes nothing; a hiring the registry must refuse (unknown structure,
withdrawn peer worker, a peer worker or structure outside the territory the hiring was
checked against) is passed over and parked with the reason. Replayed once the cause is
fixed, it is saved under a tracking name of its own (``<source>:replayed``), so that a second
replay changes nothing while the source's position, already past it, stays as it was.
"""

from collections.abc import Sequence

from eventsourcing.persistence import IntegrityError, Tracking

from peerwork_common.consumer import APPLIED, UNCHANGED, Refusal
from peerwork_common.errors import DomainError
from peerwork_common.provenance import Provenance, acting_as
from peerwork_contracts.accompaniment import PeerWorkerHired
from peerwork_contracts.envelope import Event

from .application import Registry

SUBJECT = PeerWorkerHired.subject()
# Tracking name under which the consumer's stream sequence is kept.
_STREAM_POSITION = "stream:hirings"
_REPLAYED = ":replayed"  # after the source's name: the tracking of the hirings replayed


class Hirings:
    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    def last_sequence(self) -> int:
        return self._registry.processed_up_to(_STREAM_POSITION)

    def apply(self, events: Sequence[Event], last_sequence: int, parked: Sequence[int] = ()) -> list[Refusal]:
        """Records the hirings not recorded yet. ``parked`` is not kept: a hiring is told
        from one recorded by its position (see ``replay``)."""
        refusals = []
        for event in events:
            if not isinstance(event, PeerWorkerHired) or event.position <= self._registry.processed_up_to(event.source):
                continue
            tracking = Tracking(event.source, event.position)
            outcome = self._record(event, tracking)
            if outcome not in (APPLIED, UNCHANGED):
                self._registry.pass_over(tracking)
                refusals.append(Refusal(event, outcome))
        # After the hirings, in a transaction of its own: if it is lost, the hirings come
        # again and are recognised by their own positions.
        self._registry.recorder.insert_tracking(Tracking(_STREAM_POSITION, last_sequence))
        return refusals

    def replay(self, event: Event, sequence: int) -> str:
        """Records a hiring parked earlier (refused, or unreadable before an upgrade)."""
        if not isinstance(event, PeerWorkerHired):
            return UNCHANGED
        return self._record(event, Tracking(event.source + _REPLAYED, event.position))

    def _record(self, hiring: PeerWorkerHired, tracking: Tracking) -> str:
        """Records the hiring with ``tracking``; returns APPLIED, UNCHANGED or why it was refused."""
        payload = hiring.payload
        new = payload.new_peer_worker
        # No token here: what the registry stores is on the account of the hiring's source.
        cause = Provenance(hiring.source, cause=str(hiring.event_id))
        try:
            with acting_as(cause):
                self._registry.record_hiring(
                    tracking,
                    hiring_id=payload.hiring_id,
                    peer_worker_id=payload.peer_worker_id,
                    structure_id=payload.structure_id,
                    starts_on=payload.starts_on,
                    new_peer_worker=None if new is None else (new.departement, list(new.domains)),
                    territory=None if payload.territory is None else frozenset(payload.territory),
                )
        except IntegrityError:
            return UNCHANGED  # recorded meanwhile, or replayed before
        except DomainError as refused:
            return f"hiring {payload.hiring_id} not recorded: {refused}"
        return APPLIED
