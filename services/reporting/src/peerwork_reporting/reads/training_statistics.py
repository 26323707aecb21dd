"""Figures of the training sessions, over a set of départements."""

from collections.abc import Callable, Container
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts.vocabulary import Audience, TrainingKind

from ..disclosure.rows import hidden_in_row
from ..disclosure.suppression import SUPPRESSED, PublishedCount, Revision, render
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


Cell = tuple[int, str, str]  # (year, kind, audience)


@dataclass(frozen=True)
class ParticipantsRow:
    """One row of the trainings table as published: the participants of the sessions of a
    period (a release's, or a year) by cell, and their total."""

    cells: dict[Cell, PublishedCount]
    total: PublishedCount

    def model(self) -> dict:
        return {
            "cells": [
                {"year": year, "kind": kind, "audience": audience, "participants": count}
                for (year, kind, audience), count in sorted(self.cells.items())
            ],
            "participants": self.total,
        }

    @classmethod
    def from_model(cls, model: dict) -> "ParticipantsRow":
        cells = {(c["year"], c["kind"], c["audience"]): c["participants"] for c in model["cells"]}
        return cls(cells, model["participants"])


def cells_of(figures: TrainingFigures) -> dict[Cell, int]:
    return {(row.year, row.kind.value, row.audience.value): row.participants for row in figures.by_year}  # type: ignore[misc]


def protect_row(
    cells: dict[Cell, int], threshold: int, revision: Revision | None = None, path: str = ""
) -> ParticipantsRow:
    """The row protected (``disclosure.rows``); in a revision, ``path`` is where the earlier
    version holds it."""

    def named(cell: Cell | None) -> str:
        return f"{path}.participants" if cell is None else f"{path}.cells.{'-'.join(map(str, cell))}.participants"

    hidden, total_hidden = hidden_in_row(cells, threshold, revision, named)
    return ParticipantsRow(
        {cell: render(count, cell in hidden) for cell, count in cells.items()},
        render(sum(cells.values()), total_hidden),
    )


def protect_by_year(figures: TrainingFigures, threshold: int) -> list[ParticipantsRow]:
    """The any-day figures' rows: each year's sessions, protected on their own."""
    cells = cells_of(figures)
    return [
        protect_row({cell: n for cell, n in cells.items() if cell[0] == year}, threshold)
        for year in sorted({cell[0] for cell in cells})
    ]


def protect_participants(
    figures: TrainingFigures, threshold: int, rows: list[ParticipantsRow] | None = None
) -> TrainingFigures:
    """The figures with their participants as ``rows`` publish them (by default, each year
    protected on its own): a cell is the sum of its parts in the rows, a total by kind or by
    audience the sum of its cells, the whole the sum of the rows' totals; any of them with a
    hidden part is hidden. Limited to a région or a département, participants are suppressed
    altogether: set against the national figures they would give away the rest of France's."""
    if figures.region is not None or figures.departement is not None:
        hidden_all = {"participants": SUPPRESSED}
        return figures.model_copy(update={
            **hidden_all,
            "exact": False,
            "by_kind": [k.model_copy(update=hidden_all) for k in figures.by_kind],
            "by_audience": [a.model_copy(update=hidden_all) for a in figures.by_audience],
            "by_year": [y.model_copy(update=hidden_all) for y in figures.by_year],
        })
    rows = protect_by_year(figures, threshold) if rows is None else rows
    parts: dict[Cell, list[PublishedCount]] = {}
    for row in rows:
        for cell, count in row.cells.items():
            parts.setdefault(cell, []).append(count)
    cells = {cell: _sum(counts) for cell, counts in parts.items()}

    def total(matches: Callable[[Cell], bool]) -> PublishedCount:
        return _sum([count for cell, count in cells.items() if matches(cell)])

    return figures.model_copy(update={
        "exact": False,
        "participants": _sum([row.total for row in rows]),
        "by_kind": [
            k.model_copy(update={"participants": total(lambda cell, k=k: cell[1] == k.kind.value)})
            for k in figures.by_kind
        ],
        "by_audience": [
            a.model_copy(update={"participants": total(lambda cell, a=a: cell[2] == a.audience.value)})
            for a in figures.by_audience
        ],
        "by_year": [
            # A cell no row publishes (none should be) is hidden, never shown as 0.
            y.model_copy(update={"participants": cells.get((y.year, y.kind.value, y.audience.value), SUPPRESSED)})
            for y in figures.by_year
        ],
    })


def _sum(counts: list[PublishedCount]) -> PublishedCount:
    return SUPPRESSED if SUPPRESSED in counts else sum(counts)  # type: ignore[arg-type]
