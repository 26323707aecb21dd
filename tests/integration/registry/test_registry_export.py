"""The registry's exports over real HTTP, on SQLite and PostgreSQL, built through the
composition root: structures and peer workers as CSV French Excel opens and as JSON, the
lists' filters, sorts and territory, a page at a time, names for admins alone (read from
each person's record), erased people in none, and each record exported logged in the audit."""

import csv
import io
from uuid import UUID

import httpx
import pytest

from peerwork_common.http import exports
from peerwork_common.security.audit_log import AuditLog
from tests.helpers import bearer, listed
from tests.integration.registry.test_registry_lists import (  # noqa: F401
    ADMIN,
    ISERE,
    TODAY,
    api,
    employ,
    peer_worker,
    served,
    structure,
)

STRUCTURE_COLUMNS = ["id", "name", "siret", "departement", "region", "sector", "registered_on"]
PEER_WORKER_COLUMNS = [
    "id", "departement", "region", "domains", "registered_on", "withdrawn_on", "legal_basis", "consent_withdrawn_on",
]


def export(api: httpx.Client, path: str, export_format: str, headers=None, **params) -> httpx.Response:
    response = api.get(f"{path}/export", params={"format": export_format, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response


def rows_of(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())  # the byte order mark Excel reads UTF-8 by
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def ids_of(response: httpx.Response) -> list[str]:
    return [item["id"] for item in response.json()]


@pytest.fixture
def census(api):  # noqa: F811
    """Three structures (38, 69, 38) and three peer workers (38, 69, 38), one employed."""
    ozanam = structure(api, "Relais Ozanam", siret="73282932000074")
    lyon = structure(api, "=Élan; Santé", "69", "mental_health")  # a name Excel would run, with a ';'
    passerelle = structure(api, "Passerelle", "38", "addiction")
    elise = peer_worker(api, "Élise Martin", "38", ["mental_health", "addiction"], "2020-03-01")
    marc = peer_worker(api, "Marc", "69", ["violence"], "2021-06-15")
    lina = peer_worker(api, "Lina", "38", ["addiction"], "2022-09-30")
    employ(api, marc, lyon, "2021-07-01")
    return {"ozanam": ozanam, "lyon": lyon, "passerelle": passerelle, "elise": elise, "marc": marc, "lina": lina}


def test_structures_as_french_excel_opens_them(api, census):  # noqa: F811
    response = export(api, "/structures", "csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="structures.csv"'
    assert response.content.startswith("\ufeffid;name;siret;".encode())
    header, *rows = rows_of(response)
    assert header == STRUCTURE_COLUMNS
    assert [row[0] for row in rows] == listed(api, "/structures")  # in the list's order
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id[census["ozanam"]] == {"id": census["ozanam"], "name": "Relais Ozanam", "siret": "73282932000074", "departement": "38",
                      "region": "84", "sector": "shelter_housing", "registered_on": TODAY.isoformat()}
    assert by_id[census["passerelle"]]["siret"] == ""  # nothing, not "None"
    assert by_id[census["lyon"]]["name"] == "'=Élan; Santé"  # kept as text, in one cell


def test_structures_in_json_are_what_the_list_holds_with_its_filters_and_territory(api, census):  # noqa: F811
    response = export(api, "/structures", "json")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="structures.json"'
    assert response.json() == api.get("/structures").json()["items"]
    for params in ({"departement": "38"}, {"name": "relais"}, {"sector": "addiction"}, {"employing": "true"},
                   {"siret": "73282932000074"}, {"region": "84", "sort": "-registered_on"}):
        assert export(api, "/structures", "json", **params).json() == api.get("/structures", params=params).json()["items"]
    assert ids_of(export(api, "/structures", "json", employing="true")) == [census["lyon"]]
    assert ids_of(export(api, "/structures", "json", sort="-registered_on")) == listed(api, "/structures", sort="-registered_on")
    assert ids_of(export(api, "/structures", "json", headers=ISERE)) == [census["passerelle"], census["ozanam"]]
    assert export(api, "/structures", "json", headers=ISERE, departement="69").json() == []
    assert rows_of(export(api, "/structures", "csv", headers=ISERE, region="93")) == [STRUCTURE_COLUMNS]


def test_peer_workers_without_their_names_as_french_excel_opens_them(api, census):  # noqa: F811
    response = export(api, "/peer-workers", "csv")
    assert response.headers["content-disposition"] == 'attachment; filename="peer-workers.csv"'
    header, *rows = rows_of(response)
    assert header == PEER_WORKER_COLUMNS
    assert [row[0] for row in rows] == [census["elise"], census["marc"], census["lina"]]
    assert dict(zip(header, rows[0], strict=True)) == {
        "id": census["elise"], "departement": "38", "region": "84", "domains": "addiction,mental_health",
        "registered_on": "2020-03-01", "withdrawn_on": "", "legal_basis": "explicit_consent",
        "consent_withdrawn_on": ""}
    for name in (b"lise", b"Marc", b"Lina"):
        assert name not in response.content


def test_peer_workers_in_json_are_what_the_list_holds_with_its_filters_and_territory(api, census):  # noqa: F811
    assert api.post(f"/peer-workers/{census['lina']}/withdraw", json={"effective_on": "2023-01-02"}).status_code == 200
    assert export(api, "/peer-workers", "json").json() == api.get("/peer-workers").json()["items"]
    for params in ({"departement": "38"}, {"region": "84"}, {"domain": "addiction"}, {"status": "withdrawn"},
                   {"structure_id": census["lyon"]}, {"registered_from": "2021-01-01"}, {"display_name": "marc"},
                   {"sort": "-registered_on", "status": "counted"}):
        assert export(api, "/peer-workers", "json", **params).json() == api.get("/peer-workers", params=params).json()["items"]
    assert ids_of(export(api, "/peer-workers", "json", display_name="ELISE MARTIN")) == [census["elise"]]
    assert ids_of(export(api, "/peer-workers", "json", status="counted")) == [census["elise"], census["marc"]]
    assert ids_of(export(api, "/peer-workers", "json", headers=ISERE)) == [census["elise"], census["lina"]]
    assert export(api, "/peer-workers", "json", headers=ISERE, structure_id=census["lyon"]).json() == []
    assert "display_name" not in export(api, "/peer-workers", "json").json()[0]


def test_only_an_admin_exports_names_read_from_each_record(api, census):  # noqa: F811
    refused = api.get("/peer-workers/export", params={"format": "csv", "include_names": "true"})
    assert refused.status_code == 403
    assert "only admins may export display names" in refused.json()["detail"]
    assert api.get("/peer-workers/export", params={"format": "json", "include_names": "true"},
                   headers=ISERE).status_code == 403
    header, *rows = rows_of(export(api, "/peer-workers", "csv", headers=ADMIN, include_names="true"))
    assert header == [*PEER_WORKER_COLUMNS, "display_name"]
    assert [(row[0], row[-1]) for row in rows] == [
        (census["elise"], "Élise Martin"), (census["marc"], "Marc"), (census["lina"], "Lina")]
    named = export(api, "/peer-workers", "json", headers=ADMIN, include_names="true", departement="69").json()
    without = api.get("/peer-workers", params={"departement": "69"}).json()["items"]
    assert named == [{**item, "display_name": "Marc"} for item in without]
    # Asked for no names, an admin's export has none either.
    assert "display_name" not in export(api, "/peer-workers", "json", headers=ADMIN).json()[0]


def test_an_erased_person_is_in_no_export(served, census):  # noqa: F811
    app, api = served
    assert api.delete(f"/peer-workers/{census['marc']}", headers=ADMIN).status_code == 204
    kept = [census["elise"], census["lina"]]
    assert ids_of(export(api, "/peer-workers", "json")) == kept
    assert [row[0] for row in rows_of(export(api, "/peer-workers", "csv", headers=ADMIN, include_names="true"))[1:]] == kept
    assert export(api, "/peer-workers", "json", structure_id=census["lyon"]).json() == []


def test_a_person_erased_while_their_page_is_read_is_left_out_of_the_names(served, census, monkeypatch):  # noqa: F811
    # The page is read from the lists, then the names from the records: an erasure between
    # the two leaves the person out, rather than failing the export or naming no one.
    app, api = served
    lists = app.state.lists
    page = lists.peer_workers

    def erased_after_reading(*args, **kwargs):
        rows = page(*args, **kwargs)
        app.state.registry.erase_peer_worker(UUID(census["marc"]), TODAY)
        return rows

    monkeypatch.setattr(lists, "peer_workers", erased_after_reading)
    named = export(api, "/peer-workers", "json", headers=ADMIN, include_names="true").json()
    assert [(item["id"], item["display_name"]) for item in named] == [
        (census["elise"], "Élise Martin"), (census["lina"], "Lina")]


def test_an_export_holds_every_page(api, census, monkeypatch):  # noqa: F811
    more = [peer_worker(api, f"P{n}", registered_on=f"2023-0{n}-01") for n in range(1, 5)]
    monkeypatch.setattr(exports, "EXPORT_PAGE", 2)
    people = [census["elise"], census["marc"], census["lina"], *more]
    assert ids_of(export(api, "/peer-workers", "json")) == people
    assert [row[0] for row in rows_of(export(api, "/peer-workers", "csv"))[1:]] == people
    named = export(api, "/peer-workers", "json", headers=ADMIN, include_names="true").json()
    assert [item["display_name"] for item in named] == ["Élise Martin", "Marc", "Lina", "P1", "P2", "P3", "P4"]
    assert ids_of(export(api, "/structures", "json")) == listed(api, "/structures")
    assert len(ids_of(export(api, "/structures", "json"))) == 3


def test_each_record_exported_is_logged_in_the_audit(served, census):  # noqa: F811
    app, api = served
    audit = AuditLog.of(app.state.registry)
    export(api, "/peer-workers", "csv", headers=ISERE)
    reads = audit.entries(subject="isère")
    assert sorted(str(read.record_id) for read in reads) == sorted([census["elise"], census["lina"]])  # what was sent
    assert {read.record_kind for read in reads} == {"peer worker exported"}
    assert len({read.request_id for read in reads}) == 1
    export(api, "/peer-workers", "json", headers=ADMIN, include_names="true", departement="69")
    assert [(str(read.record_id), read.record_kind) for read in audit.entries(subject="dpo")] == [
        (census["marc"], "peer worker exported with name")]
    export(api, "/structures", "json", headers=ISERE)
    structures = [read for read in audit.entries(subject="isère") if read.record_kind == "partner structure exported"]
    assert sorted(str(read.record_id) for read in structures) == sorted([census["ozanam"], census["passerelle"]])
    before = len(audit.entries(subject="national"))
    export(api, "/peer-workers", "json", display_name="nobody")
    assert len(audit.entries(subject="national")) == before  # an empty export reads no one


@pytest.mark.parametrize("path", ["/structures", "/peer-workers"])
@pytest.mark.parametrize("params", [{}, {"format": "xlsx"}, {"format": "csv", "departement": "20"},
                                    {"format": "csv", "departemnt": "38"}, {"format": "csv", "cursor": "x"},
                                    {"format": "csv", "limit": "2"}])
def test_an_export_asked_for_wrongly_is_a_422_that_says_why(api, path, params):  # noqa: F811
    response = api.get(f"{path}/export", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize("path", ["/structures/export", "/peer-workers/export"])
def test_only_staff_export(api, path):  # noqa: F811
    assert api.get(path, params={"format": "csv"}, headers=bearer("analyst")).status_code == 403
    assert httpx.get(str(api.base_url).rstrip("/") + path + "?format=csv").status_code == 401


def test_the_export_s_path_is_no_record_s_id(api):  # noqa: F811
    refused = api.delete("/peer-workers/export", headers=ADMIN)  # not an erasure of a person called "export"
    assert (refused.status_code, refused.headers["allow"]) == (405, "GET")
    assert api.get("/peer-workers/not-a-uuid").status_code == 422  # any other id is still read as one
    assert api.delete("/peer-workers/exported", headers=ADMIN).status_code == 422


@pytest.mark.parametrize(("path", "params"), [("/structures", {"name": " "}), ("/peer-workers", {"display_name": ""})])
def test_a_filter_the_list_refuses_is_refused_before_the_export_starts(api, path, params):  # noqa: F811
    # Found by the fuzzing: refused as the first page was read, once the answer had begun,
    # the export was cut short with no status to say why.
    assert api.get(path, params=params).status_code == 422
    for export_format in ("csv", "json"):
        response = api.get(f"{path}/export", params={"format": export_format, **params})
        assert response.status_code == 422, response.text
        assert "searched" in response.json()["detail"]
