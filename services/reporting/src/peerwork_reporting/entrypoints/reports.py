"""The annual report: JSON, one CSV per table, and an SVG chart."""

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import HTTPException, Path, Query, Request, status
from fastapi.responses import Response

from peerwork_common.refusals import refusals

from ..report.annual_report import TABLES, AnnualReport, annual_report
from ..report.chart import peer_workers_per_region
from ..reads.census_statistics import RegionsFigures
from .dates import Year
from .deps import StatisticsDep
from .publication import RELEASE_REFUSALS, YearReadingDep
from .rate_limit import public_router

router = public_router("/reports/annual", ["annual report"])

Format = Annotated[
    Literal["json", "csv"] | None,
    Query(description="csv: the same as 'Accept: text/csv'"),
]


def _wants_csv(request: Request, format: str | None) -> bool:  # noqa: A002 - the query's name
    if format is not None:
        return format == "csv"
    return "text/csv" in request.headers.get("accept", "")


@router.get("/{year}", responses={**refusals(406), **RELEASE_REFUSALS})
def report(
    year: Year, request: Request, statistics: StatisticsDep, reading: YearReadingDep, format: Format = None  # noqa: A002
) -> AnnualReport:
    """The year's figures: national totals and every table (see /tables/{name} for CSV)."""
    if _wants_csv(request, format):
        urls = ", ".join(f"/reports/annual/{year}/tables/{name}" for name in TABLES)
        raise HTTPException(
            status.HTTP_406_NOT_ACCEPTABLE, f"CSV comes one table at a time: {urls}"
        )
    return reading.answer("report", lambda _, exact: annual_report(statistics, year, exact))


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
    format: Format = None,  # noqa: A002
) -> Any:
    """One table of the report, as JSON rows or as CSV."""
    if name not in TABLES:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"no table {name!r} in the report; tables: {', '.join(TABLES)}"
        )
    report = reading.answer("report", lambda _, exact: annual_report(statistics, year, exact))
    rows = AnnualReport.model_validate(report).tables[name]
    if not _wants_csv(request, format):
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
def chart(year: Year, statistics: StatisticsDep, reading: YearReadingDep) -> Response:
    """Peer workers per région on 31 December, as an SVG bar chart."""
    regions = RegionsFigures.model_validate(reading.answer("regions", statistics.regions)).regions
    title = f"Peer workers per région on 31 December {year}"
    return Response(peer_workers_per_region(regions, title), media_type="image/svg+xml")


def _csv(rows: list[dict]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
