"""The annual report as the reading asks (a release's, or computed for staff), and its page,
kept once rendered per release version."""

from typing import Any

from fastapi import HTTPException, Request, status
from fastapi.responses import Response

from peerwork_contracts import geography

from ..report import census_sections, exports, page
from ..report.annual_report import TABLES, AnnualReport, annual_report
from .deps import StatisticsDep
from .publication import Reading


def report_of(year: int, statistics: StatisticsDep, reading: Reading) -> AnnualReport:
    return AnnualReport.model_validate(
        reading.answer("report", lambda _, exact: annual_report(statistics, year, exact))
    )


def cached(request: Request, reading: Reading, kind: str, year: int, make: Any) -> Any:
    """``make()``, kept per release version: a released version never changes, and the page
    takes longer to render (its charts) than to read. Staff's computed readings are not kept."""
    if reading.release is None:
        return make()
    cache = request.app.state.rendered_reports
    key = (kind, year, reading.release.day, reading.release.version)
    if key not in cache:
        cache[key] = make()
    return cache[key]


def page_of(year: int, request: Request, statistics: StatisticsDep, reading: Reading) -> str:
    report = report_of(year, statistics, reading)  # first: it tells which release is read

    def render() -> str:
        demand = {
            code: reading.answer(
                f"series.departments.{code}", lambda day, exact: statistics.series(day, departement=code, exact=exact).model_dump(mode="json"),
            )["years"]
            for code in geography.REGIONS[census_sections.AURA].departement_codes
        }
        release, revisions = reading.release, reading.revisions
        context = page.Context(report, statistics.threshold, release, revisions, demand)
        return page.render(context, _links(year))

    return cached(request, reading, "html", year, render)


def release_headers(response: Response) -> dict[str, str]:
    """The release's headers the reading set (Release-Date, Release-Version), for a response
    a route makes itself rather than from its value."""
    return {k: v for k, v in response.headers.items() if k.startswith("release-")}


def _links(year: int) -> dict[str, str]:
    return {
        "le rapport (PDF)": f"/reports/annual/{year}.pdf",
        "tous les tableaux (XLSX)": f"/reports/annual/{year}.xlsx",
        **{f"{exports.SHEETS[name]} (CSV)": f"/reports/annual/{year}/tables/{name}.csv" for name in TABLES},
    }


def known_table(name: str, reading: Reading) -> Reading:
    if name not in TABLES:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"no table {name!r} in the report; tables: {', '.join(TABLES)}"
        )
    return reading
