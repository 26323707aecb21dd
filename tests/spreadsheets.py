"""Writes the smallest XLSX and ODS files spreadsheets open, for the import tests: each
cell a string, or a number (int), or a day (date) as a spreadsheet's own date cell (ODS)."""

import io
import zipfile
from datetime import date
from xml.sax.saxutils import escape

Cell = str | int | date


def xlsx(rows: list[list[Cell]]) -> bytes:
    def cell(value: Cell) -> str:
        if isinstance(value, int):
            return f"<c t='n'><v>{value}</v></c>"
        text = value.isoformat() if isinstance(value, date) else value
        return f"<c t='inlineStr'><is><t xml:space='preserve'>{escape(text)}</t></is></c>"

    sheet = "".join(f"<row r='{n}'>{''.join(map(cell, row))}</row>" for n, row in enumerate(rows, start=1))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    return _zip(
        {
            "[Content_Types].xml": (
                "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
                "<Default Extension='rels' ContentType='application/vnd.openxmlformats-package.relationships+xml'/>"
                "<Default Extension='xml' ContentType='application/xml'/>"
                "<Override PartName='/xl/workbook.xml' ContentType="
                "'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'/>"
                "<Override PartName='/xl/worksheets/sheet1.xml' ContentType="
                "'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml'/></Types>"
            ),
            "_rels/.rels": (
                f"<Relationships xmlns='{package}'><Relationship Id='rId1' Target='xl/workbook.xml' "
                f"Type='{relations}/officeDocument'/></Relationships>"
            ),
            "xl/workbook.xml": (
                f"<workbook xmlns='{main}' xmlns:r='{relations}'><sheets>"
                "<sheet name='Recensement' sheetId='1' r:id='rId1'/></sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                f"<Relationships xmlns='{package}'><Relationship Id='rId1' Target='worksheets/sheet1.xml' "
                f"Type='{relations}/worksheet'/></Relationships>"
            ),
            "xl/worksheets/sheet1.xml": f"<worksheet xmlns='{main}'><sheetData>{sheet}</sheetData></worksheet>",
        }
    )


def ods(rows: list[list[Cell]]) -> bytes:
    def cell(value: Cell) -> str:
        if isinstance(value, int):
            return f"<table:table-cell office:value-type='float' office:value='{value}'><text:p>{value}</text:p></table:table-cell>"
        if isinstance(value, date):
            return (
                f"<table:table-cell office:value-type='date' office:date-value='{value.isoformat()}'>"
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
            )
        return f"<table:table-cell office:value-type='string'><text:p>{escape(value)}</text:p></table:table-cell>"

    table = "".join(f"<table:table-row>{''.join(map(cell, row))}</table:table-row>" for row in rows)
    namespaces = (
        "xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0' "
        "xmlns:table='urn:oasis:names:tc:opendocument:xmlns:table:1.0' "
        "xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'"
    )
    mimetype = "application/vnd.oasis.opendocument.spreadsheet"
    return _zip(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": (
                "<manifest:manifest xmlns:manifest='urn:oasis:names:tc:opendocument:xmlns:manifest:1.0' "
                "manifest:version='1.2'>"
                f"<manifest:file-entry manifest:full-path='/' manifest:media-type='{mimetype}'/>"
                "<manifest:file-entry manifest:full-path='content.xml' manifest:media-type='text/xml'/>"
                "</manifest:manifest>"
            ),
            "content.xml": (
                f"<office:document-content {namespaces} office:version='1.2'><office:body><office:spreadsheet>"
                f"<table:table table:name='Recensement'>{table}</table:table>"
                "</office:spreadsheet></office:body></office:document-content>"
            ),
        }
    )


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            # ODS wants its mimetype first and uncompressed; XLSX does not mind.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(
                zipfile.ZipInfo(name),
                f"<?xml version='1.0' encoding='UTF-8'?>{text}"
                if name.endswith(".xml") or name.endswith(".rels")
                else text,
                compress_type=method,
            )
    return buffer.getvalue()
