"""A spreadsheet's first sheet as lines of text: CSV as French spreadsheets export it
(UTF-8 or Windows-1252, ``,`` or ``;``), XLSX, ODS (and the older XLS) through calamine."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from python_calamine import CalamineError, CalamineWorkbook

from peerwork_common.domain.errors import InvalidValueError

_ZIP = b"PK\x03\x04"  # XLSX and ODS are zip archives
_OLE = b"\xd0\xcf\x11\xe0"  # XLS


class NotASpreadsheetError(InvalidValueError):
    """The file is none of the formats the import reads."""


WHAT_IT_READS = "a CSV file (UTF-8 or Windows-1252, ',' or ';'), an XLSX or an ODS spreadsheet"


@dataclass(frozen=True)
class Line:
    number: int  # as the spreadsheet numbers it, the headers being line 1
    cells: list[str]


def read_lines(content: bytes) -> tuple[list[str], list[Line]]:
    """The headers and the lines under them that hold anything."""
    if content.startswith((_ZIP, _OLE)):
        rows = _workbook_rows(content)
    else:
        text = _text(content)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text)))
    numbered = [(number, [cell.strip() for cell in row]) for number, row in enumerate(rows, start=1)]
    if not numbered:
        raise NotASpreadsheetError(f"the file is empty: expected {WHAT_IT_READS} with a line of headers")
    (_, headers), *body = numbered
    return headers, [Line(number, cells) for number, cells in body if any(cells)]


def _text(content: bytes) -> str:
    if b"\x00" in content:
        raise NotASpreadsheetError(f"the file holds binary data: expected {WHAT_IT_READS}")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What Excel writes as "CSV" on a French Windows. Every byte decodes but five.
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise NotASpreadsheetError(
            f"the file is neither UTF-8 nor Windows-1252 text: expected {WHAT_IT_READS}"
        ) from None


def _separator(text: str) -> str:
    # French spreadsheets write ';' (the comma is their decimal mark); others ','. The
    # first line, the headers, holds neither within a cell.
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _workbook_rows(content: bytes) -> list[list[str]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, IndexError) as error:  # IndexError: a workbook without a sheet
        raise NotASpreadsheetError(
            f"the file cannot be read as a spreadsheet ({error}): expected {WHAT_IT_READS}"
        ) from None
    return [[_cell_text(cell) for cell in row] for row in sheet]


def _cell_text(cell: object) -> str:
    """A cell as the same text a CSV export would hold."""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a SIRET or a département typed as a number
    return str(cell)
