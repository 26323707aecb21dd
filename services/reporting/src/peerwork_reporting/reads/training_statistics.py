"""Figures of the training sessions, over a set of départements."""

from collections.abc import Container
from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts.vocabulary import Audience, TrainingKind

from ..disclosure.suppression import PublishedCount
from .activity_reads import DeliveryCount, SessionCount, TrainingRows


class TrainingCounts(BaseModel):
    scheduled: int = Field(
        description="Sessions scheduled on or before as_of, whatever became of them"
    )
    delivered: int = Field(description="Sessions completed by the end of as_of")
    cancelled: int = Field(description="Sessions cancelled by the end of as_of")
    participants: PublishedCount = Field(description="Attendance over the sessions delivered")
    hours: float = Field(description="Duration of the sessions delivered, in hours")


class KindCounts(TrainingCounts):
    kind: TrainingKind


class AudienceCounts(TrainingCounts):
    audience: Audience


class TrainingYear(BaseModel):
    year: int = Field(description="Year the sessions were delivered (their last day)")
    kind: TrainingKind
    audience: Audience
    sessions: int
    participants: PublishedCount
    hours: float


class TrainingFigures(TrainingCounts):
    as_of: date
    exact: bool = Field(default=True, description="False: participants are protected (see below)")
    region: str | None = Field(default=None, description="Région the figures are limited to")
    departement: str | None = Field(default=None, description="Département they are limited to")
    by_kind: list[KindCounts]
    by_audience: list[AudienceCounts]
    by_year: list[TrainingYear] = Field(description="Delivered sessions by year, kind and audience")


def training_figures(
    rows: TrainingRows, as_of: date, departements: Container[str] | None = None
) -> TrainingFigures:
    """Sums the rows of ``departements`` (every one when None)."""
    sessions = [s for s in rows.sessions if departements is None or s.departement in departements]
    deliveries = [
        d for d in rows.deliveries if departements is None or d.departement in departements
    ]
    groups = sorted({(d.year, d.kind, d.audience) for d in deliveries})
    return TrainingFigures(
        as_of=as_of,
        **_counts(sessions, deliveries).model_dump(),
        by_kind=[
            KindCounts(kind=kind, **_where("kind", kind, sessions, deliveries).model_dump())
            for kind in TrainingKind
        ],
        by_audience=[
            AudienceCounts(
                audience=audience, **_where("audience", audience, sessions, deliveries).model_dump()
            )
            for audience in Audience
        ],
        by_year=[_year(group, deliveries) for group in groups],
    )


def _where(
    field: str, value: str, sessions: list[SessionCount], deliveries: list[DeliveryCount]
) -> TrainingCounts:
    return _counts(
        [s for s in sessions if getattr(s, field) == value],
        [d for d in deliveries if getattr(d, field) == value],
    )


def _counts(sessions: list[SessionCount], deliveries: list[DeliveryCount]) -> TrainingCounts:
    return TrainingCounts(
        scheduled=sum(s.scheduled for s in sessions),
        delivered=sum(d.sessions for d in deliveries),
        cancelled=sum(s.cancelled for s in sessions),
        participants=sum(d.participants for d in deliveries),
        hours=_hours(deliveries),
    )


def _year(group: tuple[int, str, str], deliveries: list[DeliveryCount]) -> TrainingYear:
    year, kind, audience = group
    own = [d for d in deliveries if (d.year, d.kind, d.audience) == group]
    return TrainingYear(
        year=year,
        kind=TrainingKind(kind),
        audience=Audience(audience),
        sessions=sum(d.sessions for d in own),
        participants=sum(d.participants for d in own),
        hours=_hours(own),
    )


def _hours(deliveries: list[DeliveryCount]) -> float:
    return round(sum(d.hours for d in deliveries), 2)  # no float noise such as 0.30000000000000004
