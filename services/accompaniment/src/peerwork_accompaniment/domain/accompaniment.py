from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from peerwork_common.domain.errors import InvalidValueError, RuleBrokenError
from peerwork_common.domain.values import check_departement, check_effective_date
from peerwork_contracts.vocabulary import Milestone, Outcome, RequestChannel

from .accompaniment_corrections import AccompanimentCorrections
from .timeline import NewPeerWorker, Step, check_reached, text


class Accompaniment(AccompanimentCorrections, Aggregate):
    """One structure's project to host a peer worker, as the platform supports it.

    The practice is made to measure: milestones come in any order and may repeat. What
    is refused is what cannot be true: a step before the request, anything after the
    closure, a second closure, and an outcome "hired" without a hiring.
    """

    @classmethod
    def open(
        cls, structure_id: UUID, departement: str, channel: RequestChannel, request: str, requested_on: date
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
        milestone = check_reached(milestone, ready, reason)
        self._check_can_record(occurred_on)
        self._milestone_reached(
            self.structure_id, self.departement, milestone.value, occurred_on, ready,
            text(reason), text(note),
        )
        return self.timeline[-1]

    @event("MilestoneReached")
    def _milestone_reached(
        self, structure_id: UUID, departement: str, milestone: str, occurred_on: date, ready: bool | None,
        reason: str | None, note: str | None,
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
            new_peer_worker = new_peer_worker.checked()
        self._check_can_record(occurred_on)
        self._peer_worker_hired(
            self.structure_id, self.departement, uuid4(), peer_worker_id or uuid4(),
            None if new_peer_worker is None else new_peer_worker.departement,
            None if new_peer_worker is None else [domain.value for domain in new_peer_worker.domains],
            occurred_on, text(note), None if territory is None else sorted(territory),
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
        self, structure_id: UUID, departement: str, hiring_id: UUID, peer_worker_id: UUID,
        new_peer_worker_departement: str | None, new_peer_worker_domains: list[str] | None, occurred_on: date,
        note: str | None, territory: list[str] | None,
    ) -> None:
        self.timeline.append(
            Step(
                Milestone.PEER_WORKER_HIRED, occurred_on, note=note, hiring_id=hiring_id, peer_worker_id=peer_worker_id
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

    # Corrections: their commands and rules are in accompaniment_corrections.py.

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
        self, structure_id: UUID, departement: str, milestone: str, occurred_on: date, reason: str,
        still_reached_on: date | None, hiring_id: UUID | None, peer_worker_id: UUID | None,
    ) -> None:
        self.timeline.pop()

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
