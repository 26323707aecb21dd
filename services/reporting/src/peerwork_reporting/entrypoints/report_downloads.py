"""The annual report to download: the page as PDF, every table in a workbook, one table as
French Excel opens it."""

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import Response

from ..report import exports
from ..report.annual_report import TABLES
from .dates import Year
from .deps import StatisticsDep
from .publication import RELEASE_REFUSALS, YearReadingDep
from .rate_limit import public_router
from .report_reading import cached, known_table, page_of, release_headers, report_of

# Before the report's own routes (``reports``): "/{year}" would take "/2022.pdf" for a year.
router = public_router("/reports/annual", ["annual report"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, media_type: str, filename: str, response: Response) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', **release_headers(response)},
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
    html = page_of(year, request, statistics, reading)
    content = cached(request, reading, "pdf", year, lambda: exports.pdf(html))
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
    tables = report_of(year, statistics, reading).tables
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
    rows = report_of(year, statistics, known_table(name, reading)).tables[name]
    return _download(exports.excel_csv(rows), "text/csv; charset=utf-8", f"peerwork-{year}-{name}.csv", response)

