"""Request and response bodies of the accompaniments' routes, and the correction every record's routes take."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from peerwork_common.http.schemas import Command, DepartementCode, EffectiveDate
from peerwork_contracts import geography
from peerwork_contracts.vocabulary import InterventionDomain, Milestone, Outcome, RequestChannel

from ..domain.accompaniment import Accompaniment
from ..domain.timeline import NewPeerWorker, Step

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
