"""The report to take away: the page as PDF, each table as a CSV that French Excel opens as
it is (UTF-8 with a BOM, ``;``, a decimal comma, French headers and terms), and every table
at once as one XLSX workbook (numbers as numbers)."""

import csv
import io
from typing import Any

from ..disclosure.suppression import SUPPRESSED
from . import french

# The workbook's sheets, by table: Excel allows 31 characters.
SHEETS = {
    "regions": "Régions", "departements": "Départements", "domains": "Domaines",
    "sectors": "Secteurs", "employed_by_sector": "Employés par secteur", "accompaniments": "Accompagnements", "funnel": "Parcours",
    "trainings": "Formations", "series": "Évolution", "collective": "Organisation collective",
}


def pdf(page: str) -> bytes:
    """The page printed (its print CSS: A4, a section a page, no navigation)."""
    # Imported when first asked for, as openpyxl below and the charts' renderers: loaded at
    # start, the three took 76 MB of every reporting process, most of which never renders.
    from weasyprint import HTML

    return HTML(string=page).write_pdf()


def excel_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if rows:
        writer.writerow([french.label(column) for column in rows[0]])
        writer.writerows([_text(column, value) for column, value in row.items()] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook(tables: dict[str, list[dict]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(SHEETS.get(name, name)[:31])
        if not rows:
            sheet.append(["Aucune donnée"])
            continue
        sheet.append([french.label(column) for column in rows[0]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_value(column, value) for column, value in row.items()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(column: str, value: Any) -> str:
    if isinstance(value, str) and value != SUPPRESSED:
        return _term(column, value)
    return french.spreadsheet_number(value)


def _value(column: str, value: Any) -> Any:
    if value == SUPPRESSED:
        return french.SECRET
    return _term(column, value) if isinstance(value, str) else value


def _term(column: str, value: str) -> str:
    """A term of the vocabulary in French; codes (a région's, a département's) as they are."""
    return value if column in ("region", "departement", "as_of") else french.label(value)
