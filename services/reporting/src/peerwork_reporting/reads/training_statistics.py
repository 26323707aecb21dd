"""Figures of the training sessions, over a set of départements."""

from collections.abc import Container
from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts.vocabulary import Audience, TrainingKind

from ..disclosure.suppression import SUPPRESSED, PublishedCount, suppress_table
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


def protect_participants(figures: TrainingFigures, threshold: int) -> TrainingFigures:
    """The figures with their participants protected for the public.

    Participants by year and by kind and audience are one table (years × pairs of kind and
    audience, years' totals and the whole total published; the pairs' totals are not). A
    total by kind or by audience adds nothing when its cells are all published, and is
    suppressed otherwise. Limited to a région or a département, participants are suppressed
    altogether: set against the national figures they would give away the rest of France's.
    """
    if figures.region is not None or figures.departement is not None:
        hidden_all = {"participants": SUPPRESSED}
        return figures.model_copy(update={
            **hidden_all,
            "exact": False,
            "by_kind": [k.model_copy(update=hidden_all) for k in figures.by_kind],
            "by_audience": [a.model_copy(update=hidden_all) for a in figures.by_audience],
            "by_year": [y.model_copy(update=hidden_all) for y in figures.by_year],
        })
    years = sorted({row.year for row in figures.by_year})
    pairs = sorted({(row.kind, row.audience) for row in figures.by_year})
    grid = [[0] * len(pairs) for _ in years]
    for row in figures.by_year:
        grid[years.index(row.year)][pairs.index((row.kind, row.audience))] = row.participants
    table = suppress_table(grid, threshold, column_totals_published=False) if grid else None
    hidden = {
        (years[i], *pairs[j])
        for i in range(len(years))
        for j in range(len(pairs))
        if table is not None and table.cells[i][j]
    }

    def total(matches: object) -> PublishedCount:
        own = [row for row in figures.by_year if matches(row)]  # type: ignore[operator]
        if any((row.year, row.kind, row.audience) in hidden for row in own):
            return SUPPRESSED
        return sum(row.participants for row in own)  # type: ignore[misc]

    return figures.model_copy(update={
        "exact": False,
        "participants": SUPPRESSED if table is not None and table.grand_total else figures.participants,
        "by_kind": [
            k.model_copy(update={"participants": total(lambda row, k=k: row.kind == k.kind)})
            for k in figures.by_kind
        ],
        "by_audience": [
            a.model_copy(update={"participants": total(lambda row, a=a: row.audience == a.audience)})
            for a in figures.by_audience
        ],
        "by_year": [
            y.model_copy(update={
                "participants": SUPPRESSED if (y.year, y.kind, y.audience) in hidden else y.participants
            })
            for y in figures.by_year
        ],
    })
