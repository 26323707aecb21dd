"""The annual report: JSON for programs, a French web page for people (HTML when a browser
asks), one CSV per table, and a chart of peer workers per région."""

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import HTTPException, Path, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from peerwork_common.http.refusals import refusals
from peerwork_contracts import geography

from ..reads.census_figures import RegionsFigures
from ..report import census_sections, exports, page
from ..report.annual_report import TABLES, AnnualReport, annual_report
from .dates import Year
from .deps import StatisticsDep
from .publication import RELEASE_REFUSALS, Reading, YearReadingDep
from .rate_limit import public_router

router = public_router("/reports/annual", ["annual report"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Format = Annotated[
    Literal["json", "csv", "html"] | None,
    Query(description="csv: the same as 'Accept: text/csv'; html: as 'Accept: text/html'"),
]


def _wants(request: Request, format: str | None, wanted: str, media_type: str) -> bool:
    if format is not None:
        return format == wanted
    return media_type in request.headers.get("accept", "")


def _report(year: int, statistics: StatisticsDep, reading: Reading) -> AnnualReport:
    return AnnualReport.model_validate(
        reading.answer("report", lambda _, exact: annual_report(statistics, year, exact))
    )


def _cached(request: Request, reading: Reading, kind: str, year: int, make: Any) -> Any:
    """``make()``, kept per release version: a released version never changes, and the page
    takes longer to render (its charts) than to read. Staff's computed readings are not kept."""
    if reading.release is None:
        return make()
    cache = request.app.state.rendered_reports
    key = (kind, year, reading.release.day, reading.release.version)
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _page(year: int, request: Request, statistics: StatisticsDep, reading: Reading) -> str:
    report = _report(year, statistics, reading)  # first: it tells which release is read

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

    return _cached(request, reading, "html", year, render)


def _release_headers(response: Response) -> dict[str, str]:
    """The release's headers the reading set (Release-Date, Release-Version), for a response
    made here rather than from the route's value."""
    return {k: v for k, v in response.headers.items() if k.startswith("release-")}


def _links(year: int) -> dict[str, str]:
    return {
        "le rapport (PDF)": f"/reports/annual/{year}.pdf",
        "tous les tableaux (XLSX)": f"/reports/annual/{year}.xlsx",
        **{f"{exports.SHEETS[name]} (CSV)": f"/reports/annual/{year}/tables/{name}.csv" for name in TABLES},
    }


def _download(content: bytes, media_type: str, filename: str, response: Response) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', **_release_headers(response)},
    )


@router.get(
    "/{year}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The report's page as PDF"},
               **RELEASE_REFUSALS},
)
def report_pdf(
    year: Year, request: Request, response: Response, statistics: StatisticsDep, reading: YearReadingDep
) -> Response:
    """The report's page, printed to PDF (A4)."""
    html = _page(year, request, statistics, reading)
    content = _cached(request, reading, "pdf", year, lambda: exports.pdf(html))
    return _download(content, "application/pdf", f"peerwork-rapport-{year}.pdf", response)


@router.get(
    "/{year}.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "Every table, a sheet each"}, **RELEASE_REFUSALS},
)
def report_xlsx(
    year: Year, request: Request, response: Response, statistics: StatisticsDep, reading: YearReadingDep
) -> Response:
    """Every table of the report in one workbook, a sheet each, French headers."""
    tables = _report(year, statistics, reading).tables
    return _download(exports.workbook(tables), XLSX, f"peerwork-rapport-{year}.xlsx", response)


@router.get(
    "/{year}/tables/{name}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The table for French Excel"},
               **RELEASE_REFUSALS},
)
def table_for_excel(
    year: Year,
    name: Annotated[str, Path(description=f"One of: {', '.join(TABLES)}")],
    request: Request,
    response: Response,
    statistics: StatisticsDep,
    reading: YearReadingDep,
) -> Response:
    """One table as French Excel opens it: UTF-8 with a BOM, ';', a decimal comma, French
    headers (the plain CSV, for programs: /tables/{name} with 'Accept: text/csv')."""
    rows = _report(year, statistics, _known(name, reading)).tables[name]
    return _download(exports.excel_csv(rows), "text/csv; charset=utf-8", f"peerwork-{year}-{name}.csv", response)


def _known(name: str, reading: Reading) -> Reading:
    if name not in TABLES:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"no table {name!r} in the report; tables: {', '.join(TABLES)}"
        )
    return reading


@router.get(
    "/{year}",
    responses={
        200: {"content": {"text/html": {}}, "description": "JSON; a French page when HTML is asked for"},
        **refusals(406), **RELEASE_REFUSALS,
    },
)
def report(
    year: Year, request: Request, response: Response, statistics: StatisticsDep, reading: YearReadingDep,
    format: Format = None,
) -> AnnualReport:
    """The year's figures: national totals and every table (see /tables/{name} for CSV); with
    'Accept: text/html' (what a browser sends) the report as a French page to read and print."""
    if _wants(request, format, "csv", "text/csv"):
        urls = ", ".join(f"/reports/annual/{year}/tables/{name}" for name in TABLES)
        raise HTTPException(
            status.HTTP_406_NOT_ACCEPTABLE, f"CSV comes one table at a time: {urls}"
        )
    if _wants(request, format, "html", "text/html"):
        return HTMLResponse(_page(year, request, statistics, reading), headers=_release_headers(response))  # type: ignore[return-value]
    return _report(year, statistics, reading)


@router.get(
    "/{year}/tables/{name}",
    response_model=list[dict[str, Any]],
    responses={
        200: {"content": {"text/csv": {}}, "description": "The table's rows"},
        **RELEASE_REFUSALS,
    },
)
def table(
    year: Year,
    name: Annotated[str, Path(description=f"One of: {', '.join(TABLES)}")],
    request: Request,
    statistics: StatisticsDep,
    reading: YearReadingDep,
    format: Format = None,
) -> Any:
    """One table of the report, as JSON rows or as CSV (for French Excel: /tables/{name}.csv)."""
    rows = _report(year, statistics, _known(name, reading)).tables[name]
    if not _wants(request, format, "csv", "text/csv"):
        return rows
    return Response(
        _csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="peerwork-{year}-{name}.csv"'},
    )


@router.get(
    "/{year}/chart.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "Bar chart"}, **RELEASE_REFUSALS},
)
def chart(year: Year, request: Request, statistics: StatisticsDep, reading: YearReadingDep) -> Response:
    """Peer workers per région on 31 December, as an SVG bar chart (the report's, in French)."""
    figures = RegionsFigures.model_validate(reading.answer("regions", statistics.regions))
    regions = [r.model_dump() for r in figures.regions]
    svg = _cached(request, reading, "chart", year, lambda: census_sections.regions_chart(figures.as_of, regions))
    return Response(svg, media_type="image/svg+xml")


def _csv(rows: list[dict]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
