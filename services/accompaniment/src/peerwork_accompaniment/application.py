"""The accompaniment's use cases: load, act, save, return."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from uuid import UUID

from peerwork_common.eventstore.application import WriteApplication
from peerwork_contracts.vocabulary import Audience, MeetingKind, Milestone, Outcome, RequestChannel, TrainingKind

from .domain.accompaniment import Accompaniment
from .domain.enrolment import Enrolment
from .domain.meeting import Meeting
from .domain.peer_network import PeerNetwork, Territory
from .domain.timeline import NewPeerWorker, Step
from .domain.training_session import TrainingSession


class Accompaniments(WriteApplication):
    name = "accompaniment"
    migrations = (Path(__file__).with_name("migrations"),)

    def open_accompaniment(
        self,
        structure_id: UUID,
        departement: str,
        channel: RequestChannel,
        request: str,
        requested_on: date,
    ) -> UUID:
        accompaniment = Accompaniment.open(structure_id, departement, channel, request, requested_on)
        self.save(accompaniment)
        return accompaniment.id

    def get_accompaniment(self, accompaniment_id: UUID, within: Callable[[str], bool] | None = None) -> Accompaniment:
        """The accompaniment; NotFoundError also when ``within`` does not take its département."""
        return self.load(Accompaniment, accompaniment_id, "accompaniment", within)

    def reach_milestone(
        self,
        accompaniment_id: UUID,
        milestone: Milestone,
        occurred_on: date,
        *,
        ready: bool | None = None,
        reason: str | None = None,
        note: str | None = None,
    ) -> Step:
        accompaniment = self.get_accompaniment(accompaniment_id)
        step = accompaniment.reach(milestone, occurred_on, ready=ready, reason=reason, note=note)
        self.save_changes(accompaniment)
        return step

    def record_hiring(
        self,
        accompaniment_id: UUID,
        occurred_on: date,
        *,
        peer_worker_id: UUID | None = None,
        new_peer_worker: NewPeerWorker | None = None,
        note: str | None = None,
        territory: frozenset[str] | None = None,
    ) -> Step:
        accompaniment = self.get_accompaniment(accompaniment_id)
        step = accompaniment.hire(
            occurred_on,
            peer_worker_id=peer_worker_id,
            new_peer_worker=new_peer_worker,
            note=note,
            territory=territory,
        )
        self.save_changes(accompaniment)
        return step

    def close_accompaniment(self, accompaniment_id: UUID, outcome: Outcome, closed_on: date) -> None:
        accompaniment = self.get_accompaniment(accompaniment_id)
        accompaniment.close(outcome, closed_on)
        self.save_changes(accompaniment)

    def retract_milestone(self, accompaniment_id: UUID, milestone: Milestone, reason: str) -> Step:
        accompaniment = self.get_accompaniment(accompaniment_id)
        step = accompaniment.retract(milestone, reason)
        self.save_changes(accompaniment)
        return step

    def reopen_accompaniment(self, accompaniment_id: UUID, reason: str) -> None:
        accompaniment = self.get_accompaniment(accompaniment_id)
        accompaniment.reopen(reason)
        self.save_changes(accompaniment)

    def schedule_session(
        self,
        title: str,
        kind: TrainingKind,
        audience: Audience,
        departement: str,
        starts_on: date,
        ends_on: date | None,
        duration_hours: float,
        capacity: int,
        scheduled_on: date,
    ) -> UUID:
        session = TrainingSession.schedule(
            title, kind, audience, departement, starts_on, ends_on, duration_hours, capacity, scheduled_on
        )
        self.save(session)
        return session.id

    def get_session(self, session_id: UUID) -> TrainingSession:
        return self.load(TrainingSession, session_id, "training session")

    def enrol(
        self,
        session_id: UUID,
        enrolled_on: date,
        *,
        peer_worker_id: UUID | None = None,
        structure_id: UUID | None = None,
        seats: int | None = None,
    ) -> Enrolment:
        session = self.get_session(session_id)
        enrolment = session.enrol(
            enrolled_on, peer_worker_id=peer_worker_id, structure_id=structure_id, seats=seats
        )
        # Two enrolments racing for the last seats: the second save conflicts, so capacity holds.
        self.save_changes(session)
        return enrolment

    def record_attendance(
        self, session_id: UUID, enrolment_id: UUID, attended: int, recorded_on: date
    ) -> Enrolment:
        session = self.get_session(session_id)
        enrolment = session.record_attendance(enrolment_id, attended, recorded_on)
        self.save_changes(session)
        return enrolment

    def complete_session(self, session_id: UUID, completed_on: date) -> None:
        session = self.get_session(session_id)
        session.complete(completed_on)
        self.save_changes(session)

    def cancel_session(self, session_id: UUID, cancelled_on: date) -> None:
        session = self.get_session(session_id)
        session.cancel(cancelled_on)
        self.save_changes(session)

    def form_network(self, name: str, territory: Territory, formed_on: date) -> UUID:
        network = PeerNetwork.form(name, territory, formed_on)
        self.save(network)
        return network.id

    def get_network(self, network_id: UUID, within: Callable[[str], bool] | None = None) -> PeerNetwork:
        """The network; NotFoundError also when ``within`` does not take its département (a
        regional or national network has none, so a token confined to départements sees none)."""
        return self.load(PeerNetwork, network_id, "peer network", within)

    def hold_meeting(
        self, network_id: UUID, held_on: date, kind: MeetingKind, hours: float,
        peer_worker_ids: tuple[UUID, ...], other_participants: int,
    ) -> Meeting:
        network = self.get_network(network_id)
        meeting = network.hold_meeting(held_on, kind, hours, peer_worker_ids, other_participants)
        self.save_changes(network)
        return meeting

    def end_network(self, network_id: UUID, ended_on: date) -> None:
        network = self.get_network(network_id)
        network.end(ended_on)
        self.save_changes(network)

    def correct_network(
        self, network_id: UUID, name: str, territory: Territory, formed_on: date, reason: str
    ) -> None:
        network = self.get_network(network_id)
        network.correct(name, territory, formed_on, reason)
        self.save_changes(network)

    def retract_network_end(self, network_id: UUID, reason: str) -> None:
        network = self.get_network(network_id)
        network.retract_end(reason)
        self.save_changes(network)

    def correct_meeting(
        self, network_id: UUID, meeting_id: UUID, held_on: date, kind: MeetingKind, hours: float,
        peer_worker_ids: tuple[UUID, ...], other_participants: int, reason: str,
    ) -> Meeting:
        network = self.get_network(network_id)
        meeting = network.correct_meeting(
            meeting_id, held_on, kind, hours, peer_worker_ids, other_participants, reason
        )
        self.save_changes(network)
        return meeting

    def retract_meeting(self, network_id: UUID, meeting_id: UUID, reason: str) -> None:
        network = self.get_network(network_id)
        network.retract_meeting(meeting_id, reason)
        self.save_changes(network)
