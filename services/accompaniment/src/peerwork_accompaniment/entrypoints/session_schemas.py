"""Request and response bodies of the training sessions' routes."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from peerwork_common.http.schemas import Command, DepartementCode, EffectiveDate, PlannedDay
from peerwork_contracts import geography
from peerwork_contracts.vocabulary import Audience, TrainingKind

from ..domain.enrolment import Enrolment
from ..domain.training_session import TrainingSession
from .list_schemas import TrainingSessionItem, session_status


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
