from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from peerwork_common.domain.errors import InvalidValueError, RuleBrokenError
from peerwork_common.domain.values import check_departement, check_effective_date
from peerwork_contracts.vocabulary import InterventionDomain, Milestone, Outcome, RequestChannel

from .corrections import check_reason


@dataclass(frozen=True)
class NewPeerWorker:
    """What the registry needs to register a peer worker hired before being in the census."""

    departement: str
    domains: tuple[InterventionDomain, ...]


@dataclass(frozen=True)
class Step:
    """One entry of an accompaniment's timeline."""

    milestone: Milestone
    occurred_on: date
    ready: bool | None = None  # readiness_assessed only
    reason: str | None = None  # why not ready yet; stays in this service
    note: str | None = None
    hiring_id: UUID | None = None  # peer_worker_hired only
    peer_worker_id: UUID | None = None


class Accompaniment(Aggregate):
    """One structure's project to host a peer worker, as the platform supports it.

    The practice is made to measure: milestones come in any order and may repeat. What
    is refused is what cannot be true: a step before the request, anything after the
    closure, a second closure, and an outcome "hired" without a hiring.
    """

    @classmethod
    def open(
        cls,
        structure_id: UUID,
        departement: str,
        channel: RequestChannel,
        request: str,
        requested_on: date,
    ) -> "Accompaniment":
        request = request.strip()
        if not request:
            raise InvalidValueError("say what the structure asks for: the request must not be blank")
        return cls(
            structure_id=structure_id,
            departement=check_departement(departement),
            channel=RequestChannel(channel).value,
            request=request,
            requested_on=check_effective_date(requested_on),
        )

    @event("Opened")
    def __init__(
        self, structure_id: UUID, departement: str, channel: str, request: str, requested_on: date
    ) -> None:
        self.structure_id = structure_id
        self.departement = departement
        self.channel = RequestChannel(channel)
        self.request = request
        self.requested_on = requested_on
        self.timeline: list[Step] = []
        self.closed_on: date | None = None
        self.outcome: Outcome | None = None

    def reach(
        self,
        milestone: Milestone,
        occurred_on: date,
        *,
        ready: bool | None = None,
        reason: str | None = None,
        note: str | None = None,
    ) -> Step:
        """Records a milestone other than a hiring (see ``hire``)."""
        milestone = Milestone(milestone)
        if milestone is Milestone.PEER_WORKER_HIRED:
            raise InvalidValueError(
                "a hiring names the peer worker: give peer_worker_id, or new_peer_worker for "
                "someone not registered yet"
            )
        if milestone is Milestone.READINESS_ASSESSED:
            if ready is None:
                raise InvalidValueError("a readiness assessment says whether the structure is ready")
            if ready and reason:
                raise InvalidValueError("a reason is given only when the structure is not ready yet")
        elif ready is not None or reason is not None:
            raise InvalidValueError("ready and reason belong to the readiness_assessed milestone only")
        self._check_can_record(occurred_on)
        self._milestone_reached(
            self.structure_id, self.departement, milestone.value, occurred_on, ready,
            _text(reason), _text(note),
        )
        return self.timeline[-1]

    @event("MilestoneReached")
    def _milestone_reached(
        self,
        structure_id: UUID,
        departement: str,
        milestone: str,
        occurred_on: date,
        ready: bool | None,
        reason: str | None,
        note: str | None,
    ) -> None:
        self.timeline.append(Step(Milestone(milestone), occurred_on, ready, reason, note))

    def hire(
        self,
        occurred_on: date,
        *,
        peer_worker_id: UUID | None = None,
        new_peer_worker: NewPeerWorker | None = None,
        note: str | None = None,
        territory: frozenset[str] | None = None,
    ) -> Step:
        """The structure hired a peer worker, registered already or not: the employment
        starts on ``occurred_on`` and the registry records it from the published event.
        ``territory``: the départements the hiring was checked against (None: the whole
        country), recorded for the registry to check them again."""
        if (peer_worker_id is None) == (new_peer_worker is None):
            raise InvalidValueError(
                "name the peer worker hired: either peer_worker_id (registered already) or "
                "new_peer_worker (département and domains, to register them), not both"
            )
        if new_peer_worker is not None:
            if not new_peer_worker.domains:
                raise InvalidValueError("a new peer worker needs at least one domain of intervention")
            new_peer_worker = NewPeerWorker(
                check_departement(new_peer_worker.departement),
                tuple(sorted({InterventionDomain(domain) for domain in new_peer_worker.domains})),
            )
        self._check_can_record(occurred_on)
        self._peer_worker_hired(
            self.structure_id,
            self.departement,
            uuid4(),
            peer_worker_id or uuid4(),
            None if new_peer_worker is None else new_peer_worker.departement,
            None if new_peer_worker is None else [domain.value for domain in new_peer_worker.domains],
            occurred_on,
            _text(note),
            None if territory is None else sorted(territory),
        )
        return self.timeline[-1]

    class PeerWorkerHired(Aggregate.Event):
        structure_id: UUID
        departement: str
        hiring_id: UUID
        peer_worker_id: UUID
        new_peer_worker_departement: str | None
        new_peer_worker_domains: list[str] | None
        occurred_on: date
        note: str | None
        territory: list[str] | None

        # Version 2 records the territory the hiring was checked against.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            # Hired before territories were checked on hirings: nothing to check again.
            state["territory"] = None

    @event(PeerWorkerHired)
    def _peer_worker_hired(
        self,
        structure_id: UUID,
        departement: str,
        hiring_id: UUID,
        peer_worker_id: UUID,
        new_peer_worker_departement: str | None,
        new_peer_worker_domains: list[str] | None,
        occurred_on: date,
        note: str | None,
        territory: list[str] | None,
    ) -> None:
        self.timeline.append(
            Step(
                Milestone.PEER_WORKER_HIRED,
                occurred_on,
                note=note,
                hiring_id=hiring_id,
                peer_worker_id=peer_worker_id,
            )
        )

    def close(self, outcome: Outcome, closed_on: date) -> None:
        outcome = Outcome(outcome)
        if self.closed_on is not None:
            raise RuleBrokenError(
                f"this accompaniment was already closed on {self.closed_on} ({self.outcome})"
            )
        self._check_dated_after_request(closed_on)
        if outcome is Outcome.HIRED and not self.hirings:
            raise RuleBrokenError(
                "an accompaniment closes as hired only once a peer_worker_hired milestone is recorded"
            )
        self._closed(self.structure_id, self.departement, outcome.value, closed_on)

    @event("Closed")
    def _closed(self, structure_id: UUID, departement: str, outcome: str, closed_on: date) -> None:
        self.outcome = Outcome(outcome)
        self.closed_on = closed_on

    # Corrections: a mistake put right is a fact of its own, saying why; the figures then
    # count as if the mistake had never been made.

    def retract(self, milestone: Milestone, reason: str) -> Step:
        """Takes back the last milestone recorded, recorded by mistake. Only the last one:
        steps are recorded as they happen, so a mistake is put right before the next step,
        and going back one step at a time never leaves a timeline no one recorded.

        A hiring is retracted here too, and only here: this service owns the fact that a
        hiring was recorded, the registry the employment it recorded from it. The
        retraction is published with the hiring's id, and the registry, subscribed to it,
        cancels that employment (and refuses to cancel it on its own, which would leave
        this accompaniment saying "hired"). A peer worker the hiring registered stays
        registered: the registry cannot tell a person who does not exist from one hired
        by mistake, and staff correct or withdraw the record there."""
        milestone = Milestone(milestone)
        reason = check_reason(reason)
        if self.closed_on is not None:
            raise RuleBrokenError(
                f"this accompaniment was closed on {self.closed_on} ({self.outcome}): reopen it "
                "first if the closure was a mistake too"
            )
        if not self.timeline:
            raise RuleBrokenError("no milestone is recorded on this accompaniment: there is nothing to retract")
        last = self.timeline[-1]
        if last.milestone is not milestone:
            raise RuleBrokenError(
                f"only the last milestone recorded can be retracted, and it is {last.milestone.value} "
                f"of {last.occurred_on}: retract that one first"
            )
        earlier = [step.occurred_on for step in self.timeline[:-1] if step.milestone is milestone]
        self._milestone_retracted(
            self.structure_id, self.departement, milestone.value, last.occurred_on, reason,
            min(earlier, default=None), last.hiring_id, last.peer_worker_id,
        )
        return last

    class MilestoneRetracted(Aggregate.Event):
        structure_id: UUID
        departement: str
        milestone: str
        occurred_on: date
        reason: str
        still_reached_on: date | None
        hiring_id: UUID | None
        peer_worker_id: UUID | None

        # Version 2 names the hiring taken back, for the registry to cancel its employment.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            # Retracted before hirings could be: never a hiring.
            state["hiring_id"] = None
            state["peer_worker_id"] = None

    @event(MilestoneRetracted)
    def _milestone_retracted(
        self,
        structure_id: UUID,
        departement: str,
        milestone: str,
        occurred_on: date,
        reason: str,
        still_reached_on: date | None,
        hiring_id: UUID | None,
        peer_worker_id: UUID | None,
    ) -> None:
        self.timeline.pop()

    def reopen(self, reason: str) -> None:
        """Takes back a closure made by mistake: the accompaniment goes on as if it had not been closed."""
        reason = check_reason(reason)
        if self.closed_on is None:
            raise RuleBrokenError("this accompaniment is not closed: there is nothing to reopen")
        self._reopened(self.structure_id, self.departement, self.outcome.value, self.closed_on, reason)

    @event("Reopened")
    def _reopened(
        self, structure_id: UUID, departement: str, outcome: str, closed_on: date, reason: str
    ) -> None:
        self.outcome = None
        self.closed_on = None

    @property
    def hirings(self) -> list[Step]:
        return [step for step in self.timeline if step.hiring_id is not None]

    def _check_can_record(self, occurred_on: date) -> None:
        if self.closed_on is not None:
            raise RuleBrokenError(
                f"this accompaniment was closed on {self.closed_on} ({self.outcome}): "
                "nothing more is recorded on it; open a new one"
            )
        self._check_dated_after_request(occurred_on)

    def _check_dated_after_request(self, day: date) -> None:
        check_effective_date(day)
        if day < self.requested_on:
            raise RuleBrokenError(
                f"{day} is before the request of {self.requested_on}: nothing in an "
                "accompaniment precedes its request"
            )


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None
