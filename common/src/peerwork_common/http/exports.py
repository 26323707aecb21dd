"""Exports of records for staff, streamed a page at a time: CSV as French Excel opens it as
it is (UTF-8 with a byte order mark, ``;`` between cells, since Excel set to French reads
``,`` as the decimal mark), or a JSON array.

Each page is handed to ``before_sending`` (the audit of what it shows) before its bytes
leave: what was sent is always logged, even when the client stops reading halfway.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Annotated, Any, Literal, TypeVar, Union

from fastapi import Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.convertors import StringConvertor, register_url_convertor

from peerwork_common.eventstore.provenance import acting, acting_as
from peerwork_common.lists.pages import MAX_LIMIT

ExportFormat = Literal["csv", "json"]
# An export route's ``format`` query parameter.
FormatQuery = Annotated[ExportFormat, Query(alias="format", description="`csv` (for Excel) or `json`")]
Row = TypeVar("Row")

# Read a page at a time: an export of any size holds one page in memory.
EXPORT_PAGE = MAX_LIMIT

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
BOM = "\ufeff"
# A cell Excel would read as a formula (and run): it is kept as text by a leading quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _RecordId(StringConvertor):
    # Not "export": the record routes then leave ``/peer-workers/export`` to the export, and a
    # method it does not take (DELETE) is a 405 naming GET, not a peer worker's erasure
    # refused for an id that is no UUID.
    regex = r"(?!export(?:/|$))[^/]+"


register_url_convertor("record_id", _RecordId())


def record_segment(name: str) -> str:
    """The path segment of a record's id, as the parameter ``name``, beside an export's path."""
    return "{" + name + ":record_id}"


def export_response(
    export_format: ExportFormat,
    filename: str,
    columns: Sequence[str],
    pages: Iterable[Sequence[BaseModel]],
    before_sending: Callable[[Sequence[BaseModel]], None] = lambda page: None,
) -> StreamingResponse:
    """The streamed export of ``pages`` (each a list of items whose fields include
    ``columns``), as the file ``filename`` (without its extension)."""
    # The stream is read after the route returned: it acts as who asked for it.
    who = acting()

    def audited() -> Iterator[Sequence[BaseModel]]:
        for page in pages:
            if who is None:
                before_sending(page)
            else:
                with acting_as(who):
                    before_sending(page)
            yield page

    body = csv_lines(columns, audited()) if export_format == "csv" else json_array(audited())
    return StreamingResponse(
        body,
        media_type=MEDIA_TYPES[export_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{export_format}"'},
    )


def every_page(
    read: Callable[[str | None, int], tuple[Sequence[Row], str | None]],
) -> Iterator[Sequence[Row]]:
    """Each page of a list, ``read(cursor, limit)`` (a list's keyset pages, the first with
    no cursor) followed to its last page, ``EXPORT_PAGE`` rows at a time. The first page is
    read at once: what the list refuses (a filter it cannot take, a 422) is refused before
    the export's answer starts, rather than cutting it short."""
    rows, cursor = read(None, EXPORT_PAGE)
    return _following(read, rows, cursor)


def _following(
    read: Callable[[str | None, int], tuple[Sequence[Row], str | None]], rows: Sequence[Row], cursor: str | None
) -> Iterator[Sequence[Row]]:
    yield rows
    while cursor is not None:
        rows, cursor = read(cursor, EXPORT_PAGE)
        yield rows


def csv_lines(columns: Sequence[str], pages: Iterable[Sequence[BaseModel]]) -> Iterator[bytes]:
    """The header line (after the byte order mark), then one line per item, a page at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(columns)
    yield _drain(buffer)
    for page in pages:
        for item in page:
            values = item.model_dump(mode="json")
            writer.writerow([cell(values[column]) for column in columns])
        yield _drain(buffer)


def cell(value: Any) -> str:
    """A value as a CSV cell: empty for none, a decimal number with a comma (French Excel
    reads 1.5 as the 1st of May), a list's elements separated by ``,``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    if isinstance(value, list):
        value = ",".join(str(element) for element in value)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def json_array(pages: Iterable[Sequence[BaseModel]]) -> Iterator[bytes]:
    """``[``, the items separated by commas, ``]``, a page at a time."""
    yield b"["
    first = True
    for page in pages:
        chunk = ",".join(item.model_dump_json() for item in page)
        if chunk:
            yield (chunk if first else "," + chunk).encode()
            first = False
    yield b"]"


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


def export_responses(*items: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI ``responses`` of an export route answering with ``items`` (one of them,
    when the route's parameters choose which); FastAPI writes the JSON array's schema from
    the model, and puts the items in the document's schemas."""
    return {
        200: {
            "description": "The records, as a CSV file (UTF-8 with a byte order mark, `;` separated) or a JSON array",
            "model": list[Union[items]],  # noqa: UP007 (a tuple of types is no union for `|`)
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
