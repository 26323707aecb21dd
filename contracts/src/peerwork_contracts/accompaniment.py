"""Events published by the accompaniment service: its support of structures and its trainings.

Free text (what a structure asks, why it is not ready yet) stays in the service: it may
speak of people. Participants are named by pseudonymous id or counted, never named.
"""

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import Field, SerializationInfo, SerializerFunctionWrapHandler, model_serializer, model_validator

from .envelope import Event, Payload
from .evolution import (
    AudienceValue,
    InterventionDomainValue,
    MeetingKindValue,
    MilestoneValue,
    OutcomeValue,
    RequestChannelValue,
    TrainingKindValue,
)
from .vocabulary import Milestone

Departement = str  # an INSEE COG code, see peerwork_contracts.geography


class AccompanimentPayload(Payload):
    structure_id: UUID = Field(description="The partner structure (registry id) being accompanied.")
    departement: Departement = Field(description="INSEE code of the département.", examples=["38"])


class AccompanimentOpenedPayload(AccompanimentPayload):
    channel: RequestChannelValue = Field(description="How the request reached the platform.")


class AccompanimentOpened(Event):
    """A structure asked to be accompanied towards hosting a peer worker (``occurred_at``: the request date)."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["accompaniment.opened"] = "accompaniment.opened"
    schema_version: Literal[1] = 1
    payload: AccompanimentOpenedPayload


class MilestoneReachedPayload(AccompanimentPayload):
    milestone: MilestoneValue
    ready: bool | None = Field(
        default=None, description="For `readiness_assessed` only: was the structure found ready?"
    )


class MilestoneReached(Event):
    """A step of the accompaniment took place on ``occurred_at`` (steps may repeat)."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["accompaniment.milestone_reached"] = "accompaniment.milestone_reached"
    schema_version: Literal[1] = 1
    payload: MilestoneReachedPayload


class NewPeerWorker(Payload):
    """What the registry needs to register a peer worker it does not know yet."""

    departement: Departement
    domains: tuple[InterventionDomainValue, ...] = Field(min_length=1)


class PeerWorkerHiredPayload(AccompanimentPayload):
    hiring_id: UUID = Field(description="Id of this hiring; the registry's employment takes it.")
    peer_worker_id: UUID = Field(description="Registry id of the peer worker (new or already registered).")
    new_peer_worker: NewPeerWorker | None = Field(
        description="Set when the peer worker is not registered yet: the registry registers them."
    )
    starts_on: date = Field(description="First day of the employment.")
    territory: tuple[Departement, ...] | None = Field(
        default=None,
        description=(
            "Since 1.2.0: the départements the hiring was checked against, those of the token of "
            "the staff member who recorded it; the registry refuses (parks) a hiring whose "
            "peer worker or structure is outside them. None: a token of national scope, or a "
            "hiring recorded before 1.2.0."
        ),
        examples=[["38"]],
    )

    @model_serializer(mode="wrap")
    def _without_national_territory(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict:
        # Payloads refused unknown fields up to 1.3, so a subscriber on 1.1 refuses any payload
        # holding ``territory``; left out when None, a hiring by national staff reads as before.
        serialized = handler(self)
        if self.territory is None:
            serialized.pop("territory", None)
        return serialized


class PeerWorkerHired(Event):
    """The accompanied structure hired a peer worker; the registry records the employment."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["accompaniment.peer_worker_hired"] = "accompaniment.peer_worker_hired"
    schema_version: Literal[1] = 1
    payload: PeerWorkerHiredPayload


class AccompanimentClosedPayload(AccompanimentPayload):
    outcome: OutcomeValue


class AccompanimentClosed(Event):
    """The accompaniment ended with ``outcome`` on ``occurred_at``."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["accompaniment.closed"] = "accompaniment.closed"
    schema_version: Literal[1] = 1
    payload: AccompanimentClosedPayload


# Corrections (since 1.3.0): a mistake put right, not a fact that happened. Count as if
# the mistaken milestone or closure had never been recorded. Why it was a mistake stays in
# the service (free text).


class MilestoneRetractedPayload(AccompanimentPayload):
    milestone: MilestoneValue = Field(description="The milestone taken back, the last one recorded.")
    still_reached_on: date | None = Field(
        description=(
            "The earliest day the accompaniment still reached this milestone on, by an earlier "
            "recording of the same step; None: it has not reached it."
        )
    )
    hiring_id: UUID | None = Field(
        default=None,
        description=(
            "Since 1.4.0, for a `peer_worker_hired` retracted: the hiring taken back, whose "
            "employment (the same id) the registry cancels. None for any other milestone."
        ),
    )
    peer_worker_id: UUID | None = Field(
        default=None,
        description="Since 1.4.0, with `hiring_id`: the registry id of the peer worker the hiring named.",
    )

    @model_validator(mode="after")
    def _hiring_names_its_peer_worker(self) -> "MilestoneRetractedPayload":
        hiring = self.milestone is Milestone.PEER_WORKER_HIRED
        if (self.hiring_id is not None, self.peer_worker_id is not None) not in ((False, False), (hiring, hiring)):
            raise ValueError("hiring_id and peer_worker_id are given together, for a peer_worker_hired only")
        return self

    @model_serializer(mode="wrap")
    def _without_hiring(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict:
        # As for a hiring's territory: left out when None, a retraction of any other
        # milestone reads as in 1.3, which refuses unknown fields.
        serialized = handler(self)
        if self.hiring_id is None:
            serialized.pop("hiring_id", None)
            serialized.pop("peer_worker_id", None)
        return serialized


class MilestoneRetracted(Event):
    """Since 1.3.0: the last milestone recorded (``occurred_at``: the day it was recorded for)
    was a mistake and is taken back. Since 1.4.0 it may be a hiring (``hiring_id`` set): the
    registry then cancels the employment it recorded from it."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["accompaniment.milestone_retracted"] = "accompaniment.milestone_retracted"
    schema_version: Literal[1] = 1
    payload: MilestoneRetractedPayload


class AccompanimentReopenedPayload(AccompanimentPayload):
    outcome: OutcomeValue = Field(description="The outcome of the closure taken back.")


class AccompanimentReopened(Event):
    """Since 1.3.0: the closure of ``occurred_at`` was a mistake and is taken back; the
    accompaniment is open again, as if it had never been closed."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["accompaniment.reopened"] = "accompaniment.reopened"
    schema_version: Literal[1] = 1
    payload: AccompanimentReopenedPayload


class TrainingPayload(Payload):
    kind: TrainingKindValue
    audience: AudienceValue
    departement: Departement = Field(examples=["69"])


class TrainingSessionScheduledPayload(TrainingPayload):
    title: str = Field(examples=["Sensibilisation au travail pair"])
    starts_on: date
    ends_on: date = Field(description="Last day of the session (the first day for a one-day session).")
    duration_hours: float = Field(gt=0, description="Total duration, in hours.")
    capacity: int = Field(ge=1, description="Seats offered.")


class TrainingSessionScheduled(Event):
    """A training session was scheduled (``occurred_at``: the day it was scheduled)."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["training_session.scheduled"] = "training_session.scheduled"
    schema_version: Literal[1] = 1
    payload: TrainingSessionScheduledPayload


class ParticipantEnrolledPayload(TrainingPayload):
    enrolment_id: UUID
    peer_worker_id: UUID | None = Field(description="Set when a peer worker enrols.")
    structure_id: UUID | None = Field(description="Set when a structure enrols members of its staff.")
    seats: int = Field(ge=1, description="1 for a peer worker, the number of staff for a structure.")


class ParticipantEnrolled(Event):
    """A peer worker, or some of a structure's staff, enrolled in the session."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["training_session.participant_enrolled"] = "training_session.participant_enrolled"
    schema_version: Literal[1] = 1
    payload: ParticipantEnrolledPayload


class AttendanceRecordedPayload(TrainingPayload):
    enrolment_id: UUID
    attended: int = Field(ge=0, description="How many of the enrolment's seats were present.")


class AttendanceRecorded(Event):
    """Who of an enrolment came to the session (recorded again: the last one counts)."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["training_session.attendance_recorded"] = "training_session.attendance_recorded"
    schema_version: Literal[1] = 1
    payload: AttendanceRecordedPayload


class TrainingSessionCompletedPayload(TrainingPayload):
    duration_hours: float = Field(gt=0)
    participants: int = Field(ge=0, description="Attendance over every enrolment.")


class TrainingSessionCompleted(Event):
    """The session was delivered (``occurred_at``: its last day)."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["training_session.completed"] = "training_session.completed"
    schema_version: Literal[1] = 1
    payload: TrainingSessionCompletedPayload


class TrainingSessionCancelled(Event):
    """The session will not take place."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["training_session.cancelled"] = "training_session.cancelled"
    schema_version: Literal[1] = 1
    payload: TrainingPayload


# Peers' collective organisation (since 1.5.0): networks and groups of peers, and their
# meetings. A network's territory is a département, a région, or the whole country (both
# None); every event carries it, so a subscriber places a meeting without the network's
# history. Peer workers who took part are named by registry id, other participants counted.


class PeerNetworkPayload(Payload):
    region: str | None = Field(
        description="INSEE code of the network's région (that of its département when it has one); "
        "None for a national network.",
        examples=["84"],
    )
    departement: Departement | None = Field(
        description="INSEE code of the network's département; None for a regional or national network.",
        examples=["38"],
    )


class PeerNetworkFormedPayload(PeerNetworkPayload):
    name: str = Field(description="The network's or group's name.", examples=["Réseau des pairs aidants de l'Isère"])


class PeerNetworkFormed(Event):
    """Since 1.5.0: a network or group of peers exists (``occurred_at``: since when)."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["peer_network.formed"] = "peer_network.formed"
    schema_version: Literal[1] = 1
    payload: PeerNetworkFormedPayload


class PeerNetworkCorrected(Event):
    """Since 1.5.0: the network's name, territory or start (``occurred_at``, as corrected) were
    recorded wrong; count as if they had always read so, its meetings included."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["peer_network.corrected"] = "peer_network.corrected"
    schema_version: Literal[1] = 1
    payload: PeerNetworkFormedPayload


class PeerNetworkEnded(Event):
    """Since 1.5.0: the network stopped on ``occurred_at`` (it is not active from that day)."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["peer_network.ended"] = "peer_network.ended"
    schema_version: Literal[1] = 1
    payload: PeerNetworkPayload


class PeerNetworkEndRetracted(Event):
    """Since 1.5.0: the end of ``occurred_at`` was a mistake; the network never stopped."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["peer_network.end_retracted"] = "peer_network.end_retracted"
    schema_version: Literal[1] = 1
    payload: PeerNetworkPayload


class MeetingPayload(PeerNetworkPayload):
    meeting_id: UUID = Field(description="The meeting, within its network (``aggregate_id``).")


class MeetingFacts(MeetingPayload):
    kind: MeetingKindValue
    hours: float = Field(gt=0, description="How long the meeting lasted, in hours.")
    other_participants: int = Field(ge=0, description="How many others took part (professionals, institutions...).")


class MeetingHeldPayload(MeetingFacts):
    peer_worker_ids: tuple[UUID, ...] = Field(description="Registry ids of the peer workers who took part.")


class MeetingCorrectedPayload(MeetingFacts):
    # The changes only: a correction of the hours does not name again a person erased since.
    peer_workers_added: tuple[UUID, ...] = Field(
        description="Registry ids of peer workers who took part and were left out."
    )
    peer_workers_removed: tuple[UUID, ...] = Field(
        description="Registry ids of peer workers named by mistake: they did not take part."
    )


class MeetingHeld(Event):
    """Since 1.5.0: the network met on ``occurred_at``."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["peer_network.meeting_held"] = "peer_network.meeting_held"
    schema_version: Literal[1] = 1
    payload: MeetingHeldPayload


class MeetingCorrected(Event):
    """Since 1.5.0: the meeting was recorded wrong; it was as this says (``occurred_at``: its
    day, as corrected), with the peer workers added and removed. Count as if it had always
    read so."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["peer_network.meeting_corrected"] = "peer_network.meeting_corrected"
    schema_version: Literal[1] = 1
    payload: MeetingCorrectedPayload


class MeetingRetracted(Event):
    """Since 1.5.0: the meeting was recorded by mistake (``occurred_at``: the day it was
    recorded for); count as if it had never been."""

    source: Literal["accompaniment"] = "accompaniment"
    event_type: Literal["peer_network.meeting_retracted"] = "peer_network.meeting_retracted"
    schema_version: Literal[1] = 1
    payload: MeetingPayload


EVENTS: tuple[type[Event], ...] = (
    AccompanimentOpened,
    MilestoneReached,
    PeerWorkerHired,
    AccompanimentClosed,
    MilestoneRetracted,
    AccompanimentReopened,
    TrainingSessionScheduled,
    ParticipantEnrolled,
    AttendanceRecorded,
    TrainingSessionCompleted,
    TrainingSessionCancelled,
    PeerNetworkFormed,
    PeerNetworkCorrected,
    PeerNetworkEnded,
    PeerNetworkEndRetracted,
    MeetingHeld,
    MeetingCorrected,
    MeetingRetracted,
)
