"""Exports' bytes, as common/ writes them for every service: CSV French Excel opens as it is,
JSON arrays, a page at a time."""

import csv
import io
import json
from datetime import date

import pytest
from pydantic import BaseModel

from peerwork_common.http import exports
from peerwork_common.http.exports import cell, csv_lines, every_page, json_array


class Row(BaseModel):
    name: str
    on: date | None
    domains: list[str]
    seats: float


PAGES = [
    [Row(name="Relais d'Été; Grenoble", on=date(2023, 1, 2), domains=["addiction", "violence"], seats=1.5)],
    [],
    [Row(name='Le "Phare"', on=None, domains=[], seats=2)],
]


def test_csv_has_the_byte_order_mark_semicolons_and_quotes_where_needed():
    chunks = list(csv_lines(["name", "on", "domains", "seats"], PAGES))
    assert len(chunks) == 1 + len(PAGES)  # the header, then a chunk per page: streamed
    text = b"".join(chunks).decode("utf-8")
    assert text.startswith("\ufeffname;on;domains;seats\r\n")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";")) == [
        ["name", "on", "domains", "seats"],
        ["Relais d'Été; Grenoble", "2023-01-02", "addiction,violence", "1,5"],
        ['Le "Phare"', "", "", "2,0"],
    ]


def test_a_cell_excel_would_run_as_a_formula_is_kept_as_text():
    assert [cell(value) for value in ["=1+1", "+33 4", "-2", "@SUM(A1)", "\tx", "a=b", None, True]] == [
        "'=1+1", "'+33 4", "'-2", "'@SUM(A1)", "'\tx", "a=b", "", "true",
    ]
    assert [cell(value) for value in [3, -2, -0.5]] == ["3", "-2", "-0,5"]  # numbers are no formulas


def test_json_is_one_array_whatever_the_pages():
    assert json.loads(b"".join(json_array(PAGES))) == [
        {"name": "Relais d'Été; Grenoble", "on": "2023-01-02", "domains": ["addiction", "violence"], "seats": 1.5},
        {"name": 'Le "Phare"', "on": None, "domains": [], "seats": 2.0},
    ]
    assert json.loads(b"".join(json_array([[], []]))) == []


def test_every_page_follows_the_cursors_and_reads_the_first_page_at_once(monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_PAGE", 2)
    rows, asked = list(range(5)), []

    def read(cursor, limit):
        asked.append(cursor)
        start = int(cursor or 0)
        following = str(start + limit) if start + limit < len(rows) else None
        return rows[start:start + limit], following

    pages = every_page(read)
    assert asked == [None]  # before the first page is asked for: its refusals come first
    assert list(pages) == [[0, 1], [2, 3], [4]]
    assert asked == [None, "2", "4"]

    def refused(cursor, limit):
        raise ValueError("a filter the list cannot take")

    with pytest.raises(ValueError):
        every_page(refused)
