"""What the accompaniment's lists answer with, the orders and statuses they take."""

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from peerwork_contracts import geography
from peerwork_contracts.vocabulary import Audience, Milestone, Outcome, RequestChannel, TrainingKind

AccompanimentSort = Literal["requested_on", "-requested_on"]
# Open, closed whatever the outcome, or closed with that outcome.
AccompanimentStatus = Literal["open", "closed", "hired", "postponed", "abandoned", "redirected"]
SessionSort = Literal["starts_on", "-starts_on"]
SessionStatus = Literal["scheduled", "completed", "cancelled"]


class AccompanimentItem(BaseModel):
    """An accompaniment in a list, where it stands; its record (``GET /accompaniments/{id}``)
    has its request and timeline."""

    id: UUID
    structure_id: UUID
    departement: str
    region: str
    channel: RequestChannel
    requested_on: date = Field(description="The day it was opened, on the structure's request")
    status: Literal["open", "closed"]
    closed_on: date | None
    outcome: Outcome | None
    last_milestone: Milestone | None = Field(description="The last step of its timeline; null before the first")
    last_milestone_on: date | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> "AccompanimentItem":
        return cls(
            region=geography.region_of(row["departement"]).code,
            status="open" if row["closed_on"] is None else "closed",
            **row,
        )


class TrainingSessionItem(BaseModel):
    """A training session in a list; its record (``GET /training-sessions/{id}``) has its
    enrolments and attendance."""

    id: UUID
    title: str
    kind: TrainingKind
    audience: Audience
    departement: str
    region: str
    starts_on: date
    ends_on: date
    duration_hours: float
    capacity: int
    seats_taken: int
    status: SessionStatus
    completed_on: date | None
    cancelled_on: date | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> "TrainingSessionItem":
        return cls(
            region=geography.region_of(row["departement"]).code,
            status=session_status(row["completed_on"], row["cancelled_on"]),
            **row,
        )


def session_status(completed_on: date | None, cancelled_on: date | None) -> SessionStatus:
    if completed_on is not None:
        return "completed"
    return "scheduled" if cancelled_on is None else "cancelled"
