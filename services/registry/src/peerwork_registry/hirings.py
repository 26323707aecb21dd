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
"""

from collections.abc import Callable, Sequence

from eventsourcing.persistence import IntegrityError, Tracking

from peerwork_common.consumer import Refusal
from peerwork_common.errors import DomainError
from peerwork_common.provenance import Provenance, acting_as
from peerwork_contracts.accompaniment import MilestoneRetracted, PeerWorkerHired
from peerwork_contracts.envelope import Event

from .application import Registry

SUBJECTS = (PeerWorkerHired.subject(), MilestoneRetracted.subject())
# Tracking name under which the consumer's stream sequence is kept.
_STREAM_POSITION = "stream:hirings"


class Hirings:
    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    def last_sequence(self) -> int:
        return self._registry.processed_up_to(_STREAM_POSITION)

    def apply(self, events: Sequence[Event], last_sequence: int) -> list[Refusal]:
        refusals = [Refusal(event, reason) for event in events if (reason := self._apply(event)) is not None]
        # After the hirings, in a transaction of its own: if it is lost, the hirings come
        # again and are recognised by their own positions.
        self._registry.recorder.insert_tracking(Tracking(_STREAM_POSITION, last_sequence))
        return refusals

    def _apply(self, event: Event) -> str | None:
        """Applies the hiring or its retraction; returns why it was refused, if it was."""
        if isinstance(event, PeerWorkerHired):
            return self._once(event, self._record, f"hiring {event.payload.hiring_id} not recorded")
        if isinstance(event, MilestoneRetracted) and event.payload.hiring_id is not None:
            return self._once(event, self._cancel, f"hiring {event.payload.hiring_id} not cancelled")
        return None

    def _once(self, event: Event, act: Callable[[Tracking, Event], None], refused_as: str) -> str | None:
        if event.position <= self._registry.processed_up_to(event.source):
            return None
        tracking = Tracking(event.source, event.position)
        # No token here: what the registry stores is on the account of the event's source.
        try:
            with acting_as(Provenance(event.source, cause=str(event.event_id))):
                act(tracking, event)
        except IntegrityError:
            return None  # recorded meanwhile
        except DomainError as refused:
            self._registry.pass_over(tracking)
            return f"{refused_as}: {refused}"
        return None

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
