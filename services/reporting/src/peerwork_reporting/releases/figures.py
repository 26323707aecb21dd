"""Everything the public routes serve for one day, as JSON, keyed by what the routes ask
("national", "regions.84", "trainings.departments.38", "collective", "report", …), and the exact counts
behind it flattened to paths (``figure_paths``), which tell which figures a later record moved."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from peerwork_contracts import geography

from ..disclosure.suppression import SUPPRESSED, Revision
from ..ports import Views
from ..reads.collective_statistics import KEY as COLLECTIVE
from ..reads.collective_statistics import CollectiveFigures, assembled, protect_year, year_of
from ..reads.statistics import Series, Statistics, YearFigures
from ..reads.training_protection import Cell, ParticipantsRow, protect_participants, protect_row
from ..report.annual_report import annual_report, collective_table
from .cached_statistics import OncePerTable
from .figure_paths import Figures, flatten

Answers = dict[str, Any]


@dataclass(frozen=True)
class Earlier:
    """A release before the one being made, in its latest version: what the new one quotes."""

    day: date
    answer: Callable[[str], Any]  # its stored answer by key


# The trainings of a release's own period (since the release before it), as published: the
# rows every later release quotes.
PERIOD = "period.trainings"


def _places() -> Iterator[tuple[str, str | None, str | None]]:
    yield "", None, None
    for code in geography.REGIONS:
        yield f".regions.{code}", code, None
    for code in geography.DEPARTEMENTS:
        yield f".departments.{code}", None, code


def _routes(
    statistics: Statistics, day: date, exact: bool, trainings: Callable[[str | None, str | None], BaseModel]
) -> Iterator[tuple[str, BaseModel]]:
    """Every public route's answer but the series, which a release quotes (``_own_year``);
    ``trainings`` of a région or a département (both None: nationally)."""
    yield "national", statistics.national(day, exact)
    yield "regions", statistics.regions(day, exact)
    yield "accompaniments", statistics.accompaniments(day)
    yield "trainings", trainings(None, None)
    for code in geography.REGIONS:
        yield f"regions.{code}", statistics.region(code, day, exact)
        yield f"accompaniments.regions.{code}", statistics.region_accompaniments(code, day)
        yield f"trainings.regions.{code}", trainings(code, None)
    for code in geography.DEPARTEMENTS:
        yield f"departments.{code}", statistics.departement(code, day, exact)
        yield f"accompaniments.departments.{code}", statistics.departement_accompaniments(code, day)
        yield f"trainings.departments.{code}", trainings(None, code)


def release_figures(
    views: Views, threshold: int, day: date, earlier: list[Earlier], revision: Revision | None
) -> tuple[Answers, Figures, Figures]:
    """The answers of the release of ``day``, their figures by path (what the public sees,
    "suppressed" included), and the exact figures they came from.

    Only the census at ``day`` and the trainings of its own period are protected here, with
    ``revision`` (the version it follows, if any). What earlier releases published of earlier
    periods is quoted from them (the trainings' rows, the series' years): the same sessions or
    the same year's census protected again, otherwise, could come out hidden in other ways, and
    the two together give both away."""
    statistics = OncePerTable(views, threshold, revision)
    start = earlier[-1].day if earlier else None
    period = _period_cells(statistics, start, day)
    own = protect_row(period, threshold, revision, PERIOD)
    rows = [ParticipantsRow.from_model(e.answer(PERIOD)) for e in earlier] + [own]
    def exact_trainings(region: str | None, departement: str | None) -> BaseModel:
        return statistics.trainings(day, region, departement, exact=True)

    def trainings(region: str | None, departement: str | None) -> BaseModel:
        return protect_participants(statistics.trainings(day, region, departement, exact=True), threshold, rows)

    answers = {key: figures.model_dump(mode="json") for key, figures in _routes(statistics, day, False, trainings)}
    answers[PERIOD] = own.model()
    collective, exact_collective = _collective(statistics, threshold, day, earlier, revision)
    answers[COLLECTIVE] = collective.model_dump(mode="json")
    year_ends = [e for e in earlier if (e.day.month, e.day.day) == (12, 31)]
    for suffix, region, departement in _places():
        quoted = [e.answer(f"series{suffix}")["years"][-1] for e in year_ends]
        answers[f"series{suffix}"] = Series(
            exact=False, region=region, departement=departement, years=[]
        ).model_dump(mode="json") | {"years": [*quoted, _own_year(answers, day, suffix)]}
    if (day.month, day.day) == (12, 31):
        quoted = {
            "trainings": answers["trainings"]["by_year"],
            "series": answers["series"]["years"],
            "collective": collective_table(collective),
        }
        answers["report"] = annual_report(statistics, day.year, False, quoted).model_dump(mode="json")
    published: Figures = {}
    for key, answer in answers.items():
        published.update(flatten(key, answer))
    exact: Figures = {}
    for key, figures in _routes(statistics, day, True, exact_trainings):
        exact.update(flatten(key, figures.model_dump(mode="json")))
    exact.update(flatten(PERIOD, ParticipantsRow(dict(period), sum(period.values())).model()))
    exact.update(flatten(COLLECTIVE, exact_collective.model_dump(mode="json")))
    return answers, published, exact


def _collective(
    statistics: Statistics, threshold: int, day: date, earlier: list[Earlier], revision: Revision | None
) -> tuple[CollectiveFigures, CollectiveFigures]:
    """The collective figures as released on ``day``, and the exact ones they came from: the
    years closed by then, each as the release of its 31 December protected it (this one's
    own year, if ``day`` is a 31 December, protected here with ``revision``)."""
    closing = (day.month, day.day) == (12, 31)
    exact = statistics.collective(day, exact=True, last_year=day.year if closing else day.year - 1)
    years = []
    for release in earlier:
        answer = release.answer(COLLECTIVE) if (release.day.month, release.day.day) == (12, 31) else None
        if answer is not None and (year := year_of(answer, release.day.year)) is not None:
            years.append(year)
    if closing and any(y.year == day.year for y in exact.years):
        years.append(protect_year(exact, day.year, threshold, revision))
    return assembled(day, years), exact


def _period_cells(statistics: Statistics, start: date | None, day: date) -> dict[Cell, int]:
    """The participants of the sessions delivered after ``start`` and by ``day``, by cell."""
    def cells(as_of: date | None) -> dict[Cell, tuple[int, int]]:
        if as_of is None:
            return {}
        figures = statistics.trainings(as_of, exact=True)
        return {(r.year, r.kind.value, r.audience.value): (r.sessions, r.participants)  # type: ignore[misc]
                for r in figures.by_year}
    before, after = cells(start), cells(day)
    return {
        cell: participants - before.get(cell, (0, 0))[1]
        for cell, (sessions, participants) in after.items()
        if (sessions, participants) != before.get(cell, (0, 0))
    }


def _own_year(answers: Answers, day: date, suffix: str) -> dict:
    """The release's own year in its series: its census, its year's activity until ``day``."""
    place = answers["national" if not suffix else suffix.removeprefix(".")]
    trainings = answers[f"trainings{suffix}"]
    delivered = [row for row in trainings["by_year"] if row["year"] == day.year]
    participants = [row["participants"] for row in delivered]
    accompaniments = answers[f"accompaniments{suffix}"]
    opened = next((y["opened"] for y in accompaniments["by_year"] if y["year"] == day.year), 0)
    return YearFigures(
        year=day.year,
        as_of=day,
        peer_workers=place["peer_workers"],
        partner_structures=place["partner_structures"],
        employed_peer_workers=place["employed_peer_workers"],
        accompaniments_opened=opened,
        trainings_delivered=sum(row["sessions"] for row in delivered),
        training_participants=SUPPRESSED if SUPPRESSED in participants else sum(participants),
    ).model_dump(mode="json")
