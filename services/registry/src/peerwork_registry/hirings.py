"""Hirings recorded by the accompaniment service become employments in the registry, and
hirings it retracts are cancelled.

The registry subscribes to the accompaniment's ``peer_worker_hired`` and
``milestone_retracted`` events (never calls it over HTTP): the accompaniment owns the fact
that a hiring was recorded, or retracted as a mistake; the registry owns the employment.
Each message is saved together with its position in the accompaniment's log, so a
redelivered one changes nothing. A hiring the registry must refuse (unknown structure,
withdrawn peer worker, a peer worker or structure outside the territory the hiring was
checked against), or a retraction of one it never recorded, is passed over and parked with
the reason. A retraction of any other milestone is none of the registry's business.
Replayed once the cause is fixed, a parked message is saved under a tracking name of its own
(``<source>:replayed``), so that a second replay changes nothing while the source's
position, already past it, stays as it was.
"""

from collections.abc import Sequence

from eventsourcing.persistence import IntegrityError, Tracking

from peerwork_common.domain.errors import DomainError
from peerwork_common.eventstore.provenance import Provenance, acting_as
from peerwork_common.messaging.projections import APPLIED, UNCHANGED, Refusal
from peerwork_contracts.accompaniment import MilestoneRetracted, PeerWorkerHired
from peerwork_contracts.envelope import Event

from .application import Registry

SUBJECTS = (PeerWorkerHired.subject(), MilestoneRetracted.subject())
# Tracking name under which the consumer's stream sequence is kept.
_STREAM_POSITION = "stream:hirings"
_REPLAYED = ":replayed"  # after the source's name: the tracking of the hirings replayed


class Hirings:
    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    def last_sequence(self) -> int:
        return self._registry.processed_up_to(_STREAM_POSITION)

    def apply(self, events: Sequence[Event], last_sequence: int, parked: Sequence[int] = ()) -> list[Refusal]:
        """Applies the hirings and retractions not applied yet. ``parked`` is not kept: a
        message is told from one applied by its position (see ``replay``)."""
        refusals = []
        for event in events:
            if event.position <= self._registry.processed_up_to(event.source):
                continue
            tracking = Tracking(event.source, event.position)
            outcome = self._apply(event, tracking)
            if outcome not in (APPLIED, UNCHANGED):
                self._registry.pass_over(tracking)
                refusals.append(Refusal(event, outcome))
        # After the hirings, in a transaction of its own: if it is lost, the hirings come
        # again and are recognised by their own positions.
        self._registry.recorder.insert_tracking(Tracking(_STREAM_POSITION, last_sequence))
        return refusals

    def replay(self, event: Event, sequence: int) -> str:
        """Applies a hiring or retraction parked earlier (refused, or unreadable before an upgrade)."""
        return self._apply(event, Tracking(event.source + _REPLAYED, event.position))

    def _apply(self, event: Event, tracking: Tracking) -> str:
        """Applies the hiring or its retraction with ``tracking``; returns APPLIED, UNCHANGED
        or why it was refused."""
        if isinstance(event, PeerWorkerHired):
            act, refused_as = self._record, f"hiring {event.payload.hiring_id} not recorded"
        elif isinstance(event, MilestoneRetracted) and event.payload.hiring_id is not None:
            act, refused_as = self._cancel, f"hiring {event.payload.hiring_id} not cancelled"
        else:
            return UNCHANGED
        try:
            # No token here: what the registry stores is on the account of the event's source.
            with acting_as(Provenance(event.source, cause=str(event.event_id))):
                act(tracking, event)
        except IntegrityError:
            return UNCHANGED  # applied meanwhile, or replayed before
        except DomainError as refused:
            return f"{refused_as}: {refused}"
        return APPLIED

    def _record(self, tracking: Tracking, hiring: PeerWorkerHired) -> None:
        payload = hiring.payload
        new = payload.new_peer_worker
        self._registry.record_hiring(
            tracking,
            hiring_id=payload.hiring_id,
            peer_worker_id=payload.peer_worker_id,
            structure_id=payload.structure_id,
            starts_on=payload.starts_on,
            new_peer_worker=None if new is None else (new.departement, list(new.domains)),
            accompaniment_id=hiring.aggregate_id,
            territory=None if payload.territory is None else frozenset(payload.territory),
        )

    def _cancel(self, tracking: Tracking, retraction: MilestoneRetracted) -> None:
        self._registry.retract_hiring(
            tracking,
            hiring_id=retraction.payload.hiring_id,
            peer_worker_id=retraction.payload.peer_worker_id,
            accompaniment_id=retraction.aggregate_id,
        )
