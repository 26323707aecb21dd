"""Figures of the accompaniment of structures, over a set of départements."""

from collections import Counter
from collections.abc import Container
from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts.vocabulary import Milestone, Outcome

from .activity_reads import AccompanimentCount, AccompanimentRows


class AccompanimentCounts(BaseModel):
    opened: int = Field(description="Accompaniments requested on or before as_of")
    open: int = Field(description="Of those, the ones not closed by the end of as_of")
    closed_by_outcome: dict[Outcome, int] = Field(
        description="Accompaniments closed by the end of as_of, by outcome"
    )


class AccompanimentYear(AccompanimentCounts):
    year: int = Field(description="Year of the request")


class AccompanimentFigures(AccompanimentCounts):
    as_of: date
    milestones: dict[Milestone, int] = Field(
        description="Accompaniments that reached each milestone at least once by the end of as_of"
    )
    by_year: list[AccompanimentYear] = Field(description="By year of request, oldest first")


class RegionAccompaniments(AccompanimentFigures):
    code: str
    name: str


class DepartementAccompaniments(AccompanimentFigures):
    code: str
    name: str
    region: str


def accompaniment_figures(
    rows: AccompanimentRows, as_of: date, departements: Container[str] | None = None
) -> AccompanimentFigures:
    """Sums the rows of ``departements`` (every one when None)."""
    counts = [c for c in rows.counts if departements is None or c.departement in departements]
    reached: Counter[str] = Counter()
    for m in rows.milestones:
        if departements is None or m.departement in departements:
            reached[m.milestone] += m.accompaniments
    return AccompanimentFigures(
        as_of=as_of,
        **_counts(counts).model_dump(),
        milestones={milestone: reached[milestone.value] for milestone in Milestone},
        by_year=[
            AccompanimentYear(
                year=year, **_counts([c for c in counts if c.year == year]).model_dump()
            )
            for year in sorted({c.year for c in counts})
        ],
    )


def _counts(counts: list[AccompanimentCount]) -> AccompanimentCounts:
    closed: Counter[str] = Counter()
    for c in counts:
        if c.outcome is not None:
            closed[c.outcome] += c.accompaniments
    return AccompanimentCounts(
        opened=sum(c.accompaniments for c in counts),
        open=sum(c.accompaniments for c in counts if c.outcome is None),
        closed_by_outcome={outcome: closed[outcome.value] for outcome in Outcome},
    )
