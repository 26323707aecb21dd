"""The annual report: JSON for programs, a French web page for people (HTML when a browser
asks), one CSV per table, and a chart of peer workers per région (the downloads: ``report_downloads``)."""

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import HTTPException, Path, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from peerwork_common.http.refusals import refusals

from ..reads.census_figures import RegionsFigures
from ..report import census_sections
from ..report.annual_report import TABLES, AnnualReport
from .dates import Year
from .deps import StatisticsDep
from .publication import RELEASE_REFUSALS, YearReadingDep
from .rate_limit import public_router
from .report_reading import cached, known_table, page_of, release_headers, report_of

router = public_router("/reports/annual", ["annual report"])

Format = Annotated[
    Literal["json", "csv", "html"] | None,
    Query(description="csv: the same as 'Accept: text/csv'; html: as 'Accept: text/html'"),
]


def _wants(request: Request, format: str | None, wanted: str, media_type: str) -> bool:
    if format is not None:
        return format == wanted
    return media_type in request.headers.get("accept", "")


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
        return HTMLResponse(page_of(year, request, statistics, reading), headers=release_headers(response))  # type: ignore[return-value]
    return report_of(year, statistics, reading)


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
    rows = report_of(year, statistics, known_table(name, reading)).tables[name]
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
    svg = cached(request, reading, "chart", year, lambda: census_sections.regions_chart(figures.as_of, regions))
    return Response(svg, media_type="image/svg+xml")


def _csv(rows: list[dict]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
