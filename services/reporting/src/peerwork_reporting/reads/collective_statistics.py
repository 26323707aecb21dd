"""Figures of peers' collective organisation: networks, meetings, hours and participants by
year, by région and nationally, and how their counts of people are published.

Networks, meetings and hours are not counts of people: they are exact. Peer workers who
took part, and other participants, are: each year is one row of cells (the régions, and the
national networks), with its national total, protected as a row of the trainings table is
(``disclosure.rows``). A year is protected once, in the release of its 31 December, and
quoted as it was by every later release; a release of another day publishes the years closed
before it only (a year in progress, set against its end, would give away its last months).
"""

from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts import geography

from ..disclosure.rows import hidden_in_row
from ..disclosure.suppression import PublishedCount, Revision, render
from .collective_reads import NATIONAL, CollectiveCell

# The counts of people, protected; the rest is exact.
PEOPLE = ("peer_worker_participants", "other_participants")
# Where a release holds them, for the paths of a revision (``releases.figures``).
KEY = "collective"


class CollectiveCounts(BaseModel):
    networks: int = Field(description="Networks active on the year's 31 December (on as_of, for its year)")
    meetings: int = Field(description="Meetings held that year")
    hours: float = Field(description="Hours of those meetings")
    peer_worker_participants: PublishedCount = Field(
        description="Peer workers who took part, each once a year (in the région of their first meeting)"
    )
    other_participants: PublishedCount = Field(description="Other participants, summed over the meetings")


class CollectivePlace(CollectiveCounts):
    year: int
    code: str = Field(description=f"The région's INSEE code; `{NATIONAL}`: the national networks")
    name: str


class CollectiveYear(CollectiveCounts):
    year: int = Field(description="Nationally: the sum of its places")


class CollectiveFigures(BaseModel):
    as_of: date
    exact: bool = Field(default=True, description="False: counts of people are protected")
    years: list[CollectiveYear]
    by_region: list[CollectivePlace] = Field(description="Each year's régions and national networks with any")


def collective_figures(cells: list[CollectiveCell], as_of: date, last_year: int | None = None) -> CollectiveFigures:
    """The exact figures of the years up to ``last_year`` (by default as_of's)."""
    cells = [c for c in cells if last_year is None or c.year <= last_year]
    places = [
        CollectivePlace(year=c.year, code=c.place, name=_name(c.place), **_counts([c]).model_dump()) for c in cells
    ]
    years = sorted({c.year for c in cells})
    return CollectiveFigures(
        as_of=as_of,
        years=[CollectiveYear(year=y, **_counts([c for c in cells if c.year == y]).model_dump()) for y in years],
        by_region=places,
    )


def protect_year(
    figures: CollectiveFigures, year: int, threshold: int, revision: Revision | None = None
) -> tuple[CollectiveYear, list[CollectivePlace]]:
    """The year's total and places with their counts of people protected as one row each."""
    total = next(y for y in figures.years if y.year == year)
    places = [p for p in figures.by_region if p.year == year]
    of_total: dict[str, PublishedCount] = {}
    of_places: dict[str, dict[str, PublishedCount]] = {p.code: {} for p in places}
    for measure in PEOPLE:

        def path(code: str | None, measure: str = measure) -> str:
            row = f"years.{year}" if code is None else f"by_region.{code}-{year}"
            return f"{KEY}.{row}.{measure}"

        cells = {p.code: getattr(p, measure) for p in places}
        hidden, total_hidden = hidden_in_row(cells, threshold, revision, path)
        of_total[measure] = render(getattr(total, measure), total_hidden)
        for code, count in cells.items():
            of_places[code][measure] = render(count, code in hidden)
    return total.model_copy(update=of_total), [p.model_copy(update=of_places[p.code]) for p in places]


def protect_each_year(figures: CollectiveFigures, threshold: int) -> CollectiveFigures:
    """The any-day figures as a release would show them: each year protected on its own."""
    return assembled(figures.as_of, [protect_year(figures, y.year, threshold) for y in figures.years])


def assembled(as_of: date, years: list[tuple[CollectiveYear, list[CollectivePlace]]]) -> CollectiveFigures:
    return CollectiveFigures(
        as_of=as_of, exact=False, years=[total for total, _ in years],
        by_region=[place for _, places in years for place in places],
    )


def year_of(answer: dict, year: int) -> tuple[CollectiveYear, list[CollectivePlace]] | None:
    """A year as a release's answer published it; None if it holds none."""
    total = next((y for y in answer["years"] if y["year"] == year), None)
    if total is None:
        return None
    places = [CollectivePlace.model_validate(p) for p in answer["by_region"] if p["year"] == year]
    return CollectiveYear.model_validate(total), places


def _counts(cells: list[CollectiveCell]) -> CollectiveCounts:
    return CollectiveCounts(
        networks=sum(c.networks for c in cells),
        meetings=sum(c.meetings for c in cells),
        hours=round(sum(c.hours for c in cells), 2),
        peer_worker_participants=sum(c.peer_workers for c in cells),
        other_participants=sum(c.others for c in cells),
    )


def _name(place: str) -> str:
    return "National networks" if place == NATIONAL else geography.region(place).name
