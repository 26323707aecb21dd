"""Request and response bodies of the accompaniment's HTTP API."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from peerwork_common.http.schemas import Command, DepartementCode, EffectiveDate, PlannedDay
from peerwork_contracts import geography
from peerwork_contracts.vocabulary import (
    Audience,
    InterventionDomain,
    Milestone,
    Outcome,
    RequestChannel,
    TrainingKind,
)

from ..domain.accompaniment import Accompaniment
from ..domain.enrolment import Enrolment
from ..domain.timeline import NewPeerWorker, Step
from ..domain.training_session import TrainingSession
from .list_schemas import TrainingSessionItem, session_status

FreeText = Field(default=None, max_length=2000, description="Kept in this service only, never published")


class OpenAccompaniment(Command):
    structure_id: UUID = Field(description="The partner structure's id in the registry")
    departement: DepartementCode
    channel: RequestChannel = Field(description="How the request reached the platform")
    request: str = Field(
        min_length=1,
        max_length=2000,
        examples=["Recruter un travailleur pair dans l'équipe de maraude"],
        description="What the structure asks for; kept in this service only, never published",
    )
    requested_on: EffectiveDate


class NewPeerWorkerBody(Command):
    departement: DepartementCode
    domains: list[InterventionDomain] = Field(min_length=1)

    def to_domain(self) -> NewPeerWorker:
        return NewPeerWorker(self.departement, tuple(self.domains))


class RecordMilestone(Command):
    milestone: Milestone
    occurred_on: EffectiveDate
    ready: bool | None = Field(default=None, description="readiness_assessed only: is the structure ready?")
    reason: str | None = FreeText
    note: str | None = FreeText
    peer_worker_id: UUID | None = Field(
        default=None, description="peer_worker_hired only: the registry id of the peer worker hired"
    )
    new_peer_worker: NewPeerWorkerBody | None = Field(
        default=None,
        description="peer_worker_hired only, for someone not in the registry yet: the registry registers them",
    )


class CloseAccompaniment(Command):
    outcome: Outcome
    closed_on: EffectiveDate


class Correction(Command):
    reason: str = Field(
        min_length=1,
        max_length=2000,
        examples=["Saisi sur le mauvais accompagnement"],
        description="Why the record was a mistake; kept in this service only, never published",
    )


class StepView(BaseModel):
    milestone: Milestone
    occurred_on: date
    ready: bool | None
    reason: str | None
    note: str | None
    hiring_id: UUID | None = Field(description="peer_worker_hired only; the registry's employment id")
    peer_worker_id: UUID | None

    @classmethod
    def of(cls, step: Step) -> "StepView":
        return cls(
            milestone=step.milestone,
            occurred_on=step.occurred_on,
            ready=step.ready,
            reason=step.reason,
            note=step.note,
            hiring_id=step.hiring_id,
            peer_worker_id=step.peer_worker_id,
        )


class AccompanimentView(BaseModel):
    id: UUID
    structure_id: UUID
    departement: str
    region: str
    channel: RequestChannel
    request: str
    requested_on: date
    timeline: list[StepView] = Field(description="Milestones in the order they were recorded")
    closed_on: date | None
    outcome: Outcome | None
    version: int

    @classmethod
    def of(cls, accompaniment: Accompaniment) -> "AccompanimentView":
        return cls(
            id=accompaniment.id,
            structure_id=accompaniment.structure_id,
            departement=accompaniment.departement,
            region=geography.region_of(accompaniment.departement).code,
            channel=accompaniment.channel,
            request=accompaniment.request,
            requested_on=accompaniment.requested_on,
            timeline=[StepView.of(step) for step in accompaniment.timeline],
            closed_on=accompaniment.closed_on,
            outcome=accompaniment.outcome,
            version=accompaniment.version,
        )


class ScheduleSession(Command):
    title: str = Field(min_length=1, max_length=200, examples=["Sensibilisation au travail pair"])
    kind: TrainingKind
    audience: Audience
    departement: DepartementCode
    starts_on: PlannedDay = Field(description="First day; may be in the future (up to the end of the 10th year ahead)")
    ends_on: PlannedDay | None = Field(default=None, description="Last day (default: the first day), within the same bounds")
    duration_hours: float = Field(gt=0, le=1000, description="Total duration in hours")
    capacity: int = Field(ge=1, le=10_000, description="Seats offered")
    scheduled_on: EffectiveDate


class Enrol(Command):
    peer_worker_id: UUID | None = Field(default=None, description="A peer worker takes one seat")
    structure_id: UUID | None = Field(default=None, description="A structure enrols `seats` of its staff")
    seats: int | None = Field(default=None, ge=1, le=10_000)
    enrolled_on: EffectiveDate


class RecordAttendance(Command):
    attended: int = Field(ge=0, description="How many of the enrolment's seats were present")
    recorded_on: EffectiveDate


class CompleteSession(Command):
    completed_on: EffectiveDate


class CancelSession(Command):
    cancelled_on: EffectiveDate


class EnrolmentView(BaseModel):
    id: UUID
    peer_worker_id: UUID | None
    structure_id: UUID | None
    seats: int
    enrolled_on: date
    attended: int | None = Field(description="None until the attendance is recorded")

    @classmethod
    def of(cls, enrolment: Enrolment) -> "EnrolmentView":
        return cls(
            id=enrolment.enrolment_id,
            peer_worker_id=enrolment.peer_worker_id,
            structure_id=enrolment.structure_id,
            seats=enrolment.seats,
            enrolled_on=enrolment.enrolled_on,
            attended=enrolment.attended,
        )


class TrainingSessionView(TrainingSessionItem):
    """A training session's record: what its lists show, with its enrolments and attendance."""

    participants: int = Field(description="Attendance recorded over every enrolment")
    scheduled_on: date
    enrolments: list[EnrolmentView]
    version: int

    @classmethod
    def of(cls, session: TrainingSession) -> "TrainingSessionView":
        return cls(
            id=session.id,
            title=session.title,
            kind=session.kind,
            audience=session.audience,
            departement=session.departement,
            region=geography.region_of(session.departement).code,
            starts_on=session.starts_on,
            ends_on=session.ends_on,
            duration_hours=session.duration_hours,
            capacity=session.capacity,
            seats_taken=session.seats_taken,
            participants=session.participants,
            status=session_status(session.completed_on, session.cancelled_on),
            scheduled_on=session.scheduled_on,
            completed_on=session.completed_on,
            cancelled_on=session.cancelled_on,
            enrolments=[EnrolmentView.of(e) for e in session.enrolments.values()],
            version=session.version,
        )
