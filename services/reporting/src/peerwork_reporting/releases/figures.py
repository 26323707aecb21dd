"""Everything the public routes serve for one day, as JSON, keyed by what the routes ask
("national", "regions.84", "trainings.departments.38", "report", …), and the exact counts
behind it flattened to paths ("national.peer_workers", "regions.84.peer_workers"), which
tell which figures a later record moved."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from pydantic import BaseModel

from peerwork_contracts import geography

from ..ports import Cursor, Rows, Views
from ..reads.census_reads import CensusRow
from ..reads.census_statistics import Census
from ..reads.statistics import Statistics
from ..report.annual_report import annual_report

Answers = dict[str, Any]
Figures = dict[str, float | str]  # by path: "national.peer_workers": 1020 or "suppressed"


class _ReadOnce:
    """The views, each query read once per day: a release asks the same rows of every
    région and département, and reading them again would multiply its cost by 400."""

    def __init__(self, views: Views) -> None:
        self._views = views
        self._rows: dict[tuple[Callable, date], Any] = {}

    def read(self, query: Callable[[Cursor, str], Rows], as_of: date) -> Rows:
        if (query, as_of) not in self._rows:
            self._rows[query, as_of] = self._views.read(query, as_of)
        return self._rows[query, as_of]


class _OncePerTable(Statistics):
    """Each census table protected once: every région's and département's answer, and each
    year of every place's series, would protect the whole table again (2,600 times a day)."""

    def __init__(self, views: Views, threshold: int) -> None:
        super().__init__(_ReadOnce(views), threshold)
        self._tables: dict[tuple[int, bool], tuple[object, Census]] = {}

    def _census(self, rows: dict[str, CensusRow], exact: bool) -> Census:
        key = (id(rows), exact)  # the rows are read once (_ReadOnce) and kept with it
        if key not in self._tables:
            self._tables[key] = (rows, super()._census(rows, exact))
        return self._tables[key][1]


def _routes(statistics: Statistics, day: date, exact: bool) -> Iterator[tuple[str, BaseModel]]:
    yield "national", statistics.national(day, exact)
    yield "regions", statistics.regions(day, exact)
    yield "accompaniments", statistics.accompaniments(day)
    yield "trainings", statistics.trainings(day, exact=exact)
    yield "series", statistics.series(day, exact=exact)
    for code in geography.REGIONS:
        yield f"regions.{code}", statistics.region(code, day, exact)
        yield f"accompaniments.regions.{code}", statistics.region_accompaniments(code, day)
        yield f"trainings.regions.{code}", statistics.trainings(day, region=code, exact=exact)
        yield f"series.regions.{code}", statistics.series(day, region=code, exact=exact)
    for code in geography.DEPARTEMENTS:
        yield f"departments.{code}", statistics.departement(code, day, exact)
        yield f"accompaniments.departments.{code}", statistics.departement_accompaniments(code, day)
        yield f"trainings.departments.{code}", statistics.trainings(day, departement=code, exact=exact)
        yield f"series.departments.{code}", statistics.series(day, departement=code, exact=exact)


def day_figures(views: Views, threshold: int, day: date) -> tuple[Answers, Figures, Figures]:
    """The protected answers of ``day``, their figures by path (what the public sees, "suppressed"
    included), and the exact figures they came from."""
    statistics = _OncePerTable(views, threshold)
    answers = {key: figures.model_dump(mode="json") for key, figures in _routes(statistics, day, False)}
    published: Figures = {}
    for key, answer in answers.items():
        published.update(_flatten(key, answer))
    if (day.month, day.day) == (12, 31):  # made of the figures above: nothing new to compare
        answers["report"] = annual_report(statistics, day.year, False).model_dump(mode="json")
    exact: Figures = {}
    for key, figures in _routes(statistics, day, True):
        exact.update(_flatten(key, figures.model_dump(mode="json")))
    return answers, published, exact


def moved(before: Figures, after: Figures) -> list[str]:
    """The paths whose figure changed, appeared or went."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def _flatten(path: str, value: Any) -> Iterator[tuple[str, float | str]]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float | str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{path}.{key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flatten(f"{path}.{_name(item, index)}", item)


# Rows by what names them (a région's code, a year, a kind of session), so that a row
# added before them does not read as every later row having moved.
_NAMING = ("code", "year", "kind", "audience")


def _name(row: Any, index: int) -> str:
    names = [str(row[key]) for key in _NAMING if isinstance(row, dict) and key in row]
    return "-".join(names) or str(index)
