"""The export of accompaniments over real HTTP, on SQLite and PostgreSQL, built through the
composition root: CSV as French Excel opens it and JSON, streamed a page at a time, the
list's filters and territory, staff only, each accompaniment exported logged in the audit."""

import csv
import io

import httpx
import pytest

from peerwork_common.http import exports
from peerwork_common.security.audit_log import AuditLog
from tests.helpers import bearer
from tests.integration.accompaniment.test_accompaniment_lists import ISERE, api, close, opened, reach, served  # noqa: F401

COLUMNS = ["id", "structure_id", "departement", "region", "channel", "requested_on", "status", "closed_on",
           "outcome", "last_milestone", "last_milestone_on"]


def export(api: httpx.Client, export_format: str, headers=None, **params) -> httpx.Response:
    response = api.get("/accompaniments/export", params={"format": export_format, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response


def rows_of(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())  # the byte order mark Excel reads UTF-8 by
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture
def staged(api, opened):  # noqa: F811
    """Three accompaniments at three stages, in 38, 69 and 38."""
    grenoble, lyon, closed = opened("2023-01-15"), opened("2023-02-01", "69"), opened("2023-03-01")
    reach(api, grenoble, "missions_defined", "2023-02-01")
    close(api, closed, "redirected", "2023-04-01")
    return grenoble, lyon, closed


def test_csv_as_french_excel_opens_it_with_each_accompaniment_and_its_stage(api, staged):  # noqa: F811
    grenoble, lyon, closed = staged
    response = export(api, "csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="accompaniments.csv"'
    header, *rows = rows_of(response)
    assert header == COLUMNS
    assert [row[0] for row in rows] == [grenoble, lyon, closed]
    first = dict(zip(header, rows[0], strict=True))
    assert (first["departement"], first["status"], first["last_milestone"], first["last_milestone_on"]) == (
        "38", "open", "missions_defined", "2023-02-01")
    assert (first["closed_on"], first["outcome"]) == ("", "")  # nothing, not "None"
    last = dict(zip(header, rows[2], strict=True))
    assert (last["status"], last["outcome"], last["closed_on"], last["last_milestone"]) == (
        "closed", "redirected", "2023-04-01", "")


def test_json_holds_what_the_list_pages_hold(api, staged):  # noqa: F811
    response = export(api, "json")
    assert response.headers["content-type"] == "application/json"
    assert response.json() == api.get("/accompaniments").json()["items"]
    assert export(api, "json", status="closed").json() == api.get("/accompaniments", params={"status": "closed"}).json()["items"]


def test_the_list_filters_and_the_territory_apply(api, staged):  # noqa: F811
    grenoble, lyon, closed = staged
    assert [row[0] for row in rows_of(export(api, "csv", status="open"))[1:]] == [grenoble, lyon]
    assert [row[0] for row in rows_of(export(api, "csv", departement="69"))[1:]] == [lyon]
    assert [item["id"] for item in export(api, "json", sort="-requested_on").json()] == [closed, lyon, grenoble]
    assert [item["id"] for item in export(api, "json", headers=ISERE).json()] == [grenoble, closed]
    assert export(api, "json", headers=ISERE, departement="69").json() == []
    assert rows_of(export(api, "csv", headers=ISERE, departement="69")) == [COLUMNS]  # the header alone


def test_an_export_is_streamed_a_page_at_a_time_and_holds_every_page(api, opened, monkeypatch):  # noqa: F811
    ids = [opened(f"2023-0{month}-01") for month in range(1, 6)]
    monkeypatch.setattr(exports, "EXPORT_PAGE", 2)
    assert [item["id"] for item in export(api, "json").json()] == ids
    assert [row[0] for row in rows_of(export(api, "csv"))[1:]] == ids


def test_each_accompaniment_exported_is_logged_in_the_audit(served, staged):  # noqa: F811
    app, api = served
    audit = AuditLog.of(app.state.accompaniments)
    export(api, "csv", headers=ISERE)
    reads = audit.entries(subject="isère")
    assert sorted(str(read.record_id) for read in reads) == sorted([staged[0], staged[2]])  # what was sent
    assert {read.record_kind for read in reads} == {"accompaniment exported"}
    assert len({read.request_id for read in reads}) == 1
    export(api, "json", status="redirected")
    exported = [read for read in audit.entries(subject="national") if read.record_kind == "accompaniment exported"]
    assert [str(read.record_id) for read in exported] == [staged[2]]  # the closure's own read aside


@pytest.mark.parametrize("params", [{}, {"format": "xlsx"}, {"format": "csv", "status": "lost"},
                                    {"format": "csv", "statut": "open"}, {"format": "csv", "cursor": "x"}])
def test_an_export_asked_for_wrongly_is_a_422_that_says_why(api, params):  # noqa: F811
    response = api.get("/accompaniments/export", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_only_staff_export(api):  # noqa: F811
    assert api.get("/accompaniments/export", params={"format": "csv"}, headers=bearer("analyst")).status_code == 403
    assert httpx.get(str(api.base_url).rstrip("/") + "/accompaniments/export?format=csv").status_code == 401
