"""The registry's lists over real HTTP, on SQLite and PostgreSQL, built through the
composition root: every filter, page boundaries and cursors, territories, rebuilds from the
log, erased people, and the audit of each page of people read."""

import base64
from datetime import timedelta
from uuid import UUID

import httpx
import pytest

from peerwork_common.lists.pages import encode
from peerwork_common.lists.search import blind_index
from peerwork_common.security.audit_log import AuditLog
from peerwork_contracts.calendar import today
from peerwork_registry.bootstrap import bootstrap
from peerwork_registry.config import DEVELOPMENT_NAME_INDEX_KEY, Settings
from tests.helpers import CONSENT_BODY, ServedApp, bearer, listed

STAFF = bearer("staff", subject="national")
ISERE = bearer("staff", subject="isère", departements=["38"])
ADMIN = bearer("admin", subject="dpo")
TODAY = today()


@pytest.fixture
def served(store_settings):
    app = bootstrap(Settings(**store_settings, relay_enabled=False, hirings_enabled=False))
    with ServedApp(app) as server, httpx.Client(base_url=server.url, headers=STAFF) as api:
        yield app, api


@pytest.fixture
def api(served) -> httpx.Client:
    return served[1]


def structure(api: httpx.Client, name: str, departement: str = "38", sector: str = "shelter_housing", **more) -> str:
    response = api.post("/structures", json={"name": name, "departement": departement, "sector": sector, **more})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def peer_worker(api: httpx.Client, name: str = "Anne", departement: str = "38", domains=("addiction",),
                registered_on: str = "2022-01-03") -> str:
    response = api.post("/peer-workers", json={
        "legal_basis": CONSENT_BODY,
        "display_name": name, "departement": departement, "domains": list(domains), "registered_on": registered_on,
    })
    assert response.status_code == 201, response.text
    return response.json()["id"]


def employ(api: httpx.Client, peer_worker_id: str, structure_id: str, starts_on: str = "2022-02-01") -> str:
    response = api.post(f"/peer-workers/{peer_worker_id}/employments",
                        json={"structure_id": structure_id, "starts_on": starts_on})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def names(api: httpx.Client, **params) -> list[str]:
    response = api.get("/structures", params=params)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def test_structures_by_name_siret_place_sector_and_employment(api):
    ozanam = structure(api, "Le Relais Ozanam", siret="73282932000074")
    structure(api, "Relais d'Été", "2A", "culture")
    structure(api, "ÉLAN Santé", "69", "mental_health")
    employer = structure(api, "Oiseau Bleu", "75", "addiction")
    former = structure(api, "Passerelle", "38", "addiction")
    anne, paul = peer_worker(api), peer_worker(api, "Paul")
    employ(api, anne, employer)
    ended = employ(api, paul, former)
    assert api.post(f"/peer-workers/{paul}/employments/{ended}/end", json={"ends_on": "2022-03-01"}).status_code == 200

    assert names(api) == ["ÉLAN Santé", "Le Relais Ozanam", "Oiseau Bleu", "Passerelle", "Relais d'Été"]
    assert names(api, name="relais") == ["Le Relais Ozanam", "Relais d'Été"]
    assert names(api, name="ETE") == ["Relais d'Été"]  # accents and case aside, part of a word
    assert names(api, name="élan sante") == ["ÉLAN Santé"]
    assert names(api, name="%") == names(api, name="_") == []  # LIKE's wildcards are letters here
    assert names(api, siret="73282932000074") == ["Le Relais Ozanam"]
    assert names(api, departement="38") == ["Le Relais Ozanam", "Passerelle"]
    assert names(api, region="84") == ["ÉLAN Santé", "Le Relais Ozanam", "Passerelle"]
    assert names(api, region="94") == ["Relais d'Été"]
    assert names(api, sector="addiction") == ["Oiseau Bleu", "Passerelle"]
    assert names(api, employing="true") == ["Oiseau Bleu"]  # Passerelle's employment ended
    assert names(api, employing="false") == ["ÉLAN Santé", "Le Relais Ozanam", "Passerelle", "Relais d'Été"]
    assert names(api, name="relais", departement="38", sector="shelter_housing") == ["Le Relais Ozanam"]
    item = api.get("/structures", params={"siret": "73282932000074"}).json()["items"][0]
    assert item == {"id": ozanam, "name": "Le Relais Ozanam", "siret": "73282932000074", "departement": "38",
                    "region": "84", "sector": "shelter_housing", "registered_on": TODAY.isoformat()}


def test_structures_sort_by_name_or_registration_with_the_id_breaking_ties(api):
    late = structure(api, "B", effective_on="2021-05-01")
    early = structure(api, "C", effective_on="2019-05-01")
    twins = sorted([structure(api, "A", effective_on="2020-05-01"),
                    structure(api, "A", effective_on="2020-05-01", despite_same_name=True)])
    assert listed(api, "/structures", limit=1) == [*twins, late, early]
    assert listed(api, "/structures", sort="-name", limit=1) == [early, late, *reversed(twins)]
    assert listed(api, "/structures", sort="registered_on", limit=1) == [early, *twins, late]
    assert listed(api, "/structures", sort="-registered_on", limit=3) == [late, *reversed(twins), early]


def test_pages_hold_exactly_limit_rows_and_cursors_go_round(api):
    ids = [structure(api, f"Structure {n}") for n in range(3)]
    exactly = api.get("/structures", params={"limit": 3}).json()
    assert ([item["id"] for item in exactly["items"]], exactly["next"]) == (ids, None)
    first = api.get("/structures", params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next"]
    second = api.get("/structures", params={"limit": 2, "cursor": first["next"]}).json()
    assert (len(second["items"]), second["next"]) == (1, None)
    assert [i["name"] for i in first["items"] + second["items"]] == ["Structure 0", "Structure 1", "Structure 2"]
    assert api.get("/structures", params={"limit": 500}).status_code == 200
    assert len(api.get("/structures").json()["items"]) == 3  # 50 by default


@pytest.mark.parametrize("params", [
    {"limit": 501}, {"limit": 0}, {"cursor": "nonsense"}, {"cursor": "W10"}, {"siret": "123"},
    {"cursor": encode("name", "\x00", "x")}, {"cursor": base64.urlsafe_b64encode(b'["name","a","\\ud800"]').decode()},
    {"departement": "20"}, {"region": "99"}, {"sector": "bakery"}, {"name": "a\x00b"}, {"employing": "sometimes"},
])
def test_a_page_asked_for_wrongly_is_a_422_that_says_why(api, params):
    response = api.get("/structures", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_a_filter_misspelt_is_refused_rather_than_ignored(api):
    response = api.get("/structures", params={"departemnt": "38"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("this list takes no 'departemnt': its query parameters are cursor, departement,")
    assert api.get("/peer-workers", params={"": "0"}).status_code == 422
    assert api.get("/peer-workers", params={"status": "counted"}).status_code == 200  # an alias is known by its name


def test_a_filter_given_twice_is_refused_rather_than_one_value_kept(api):
    # The last value was kept: ?employing=false&employing=true listed the employing ones.
    response = api.get("/structures", params=[("employing", "false"), ("employing", "true")])
    assert response.status_code == 422
    assert response.json()["detail"] == "give 'employing' once: it takes one value"
    assert api.get("/structures", params=[("employing", "true")]).status_code == 200


def test_a_cursor_of_another_sort_is_refused(api):
    structure(api, "A"), structure(api, "B")
    following = api.get("/structures", params={"limit": 1}).json()["next"]
    response = api.get("/structures", params={"limit": 1, "cursor": following, "sort": "-name"})
    assert response.status_code == 422
    assert "given for the order 'name', not '-name'" in response.json()["detail"]


def test_staff_of_a_territory_list_its_records_only(api):
    structure(api, "Grenoble", "38"), structure(api, "Lyon", "69")
    in_isere = peer_worker(api, departement="38")
    peer_worker(api, departement="69")
    assert [i["name"] for i in api.get("/structures", headers=ISERE).json()["items"]] == ["Grenoble"]
    assert api.get("/structures", headers=ISERE, params={"departement": "69"}).json()["items"] == []
    assert listed(api, "/peer-workers", headers=ISERE) == [in_isere]
    assert listed(api, "/peer-workers", headers=ISERE, region="84") == [in_isere]
    assert len(listed(api, "/peer-workers", headers=bearer("admin", departements=["38"]))) == 2  # admins see all
    assert httpx.get(str(api.base_url).rstrip("/") + "/peer-workers").status_code == 401


def test_peer_workers_by_every_filter(api):
    employer = structure(api, "Employer")
    elise = peer_worker(api, "Élise Martin", "38", ["mental_health", "addiction"], "2020-03-01")
    marc = peer_worker(api, "Marc", "69", ["violence"], "2021-06-15")
    lina = peer_worker(api, "Lina", "2B", ["addiction"], "2022-09-30")
    employ(api, marc, employer, "2021-07-01")
    assert api.post(f"/peer-workers/{lina}/withdraw", json={"effective_on": "2023-01-02"}).status_code == 200

    def find(**params) -> list[str]:
        return listed(api, "/peer-workers", **params)

    assert find() == [elise, marc, lina]
    assert find(sort="-registered_on") == [lina, marc, elise]
    assert find(departement="69") == [marc]
    assert find(region="84") == [elise, marc]
    assert find(region="94") == [lina]
    assert find(domain="addiction") == [elise, lina]
    assert find(status="counted") == [elise, marc]
    assert find(status="withdrawn") == [lina]
    assert find(structure_id=employer) == [marc]
    assert find(registered_from="2021-06-15") == [marc, lina]
    assert find(registered_to="2021-06-15") == [elise, marc]
    assert find(registered_from="2020-03-02", registered_to="2022-09-29") == [marc]
    assert find(display_name="élise martin") == find(display_name="ELISE  MARTIN") == [elise]
    assert find(display_name="Elise") == []  # the whole name, not a part
    assert find(display_name="Élise Martin", departement="69") == []
    item = api.get("/peer-workers", params={"departement": "38"}).json()["items"][0]
    assert item == {"id": elise, "departement": "38", "region": "84", "domains": ["addiction", "mental_health"],
                    "registered_on": "2020-03-01", "withdrawn_on": None, "legal_basis": "explicit_consent",
                    "consent_withdrawn_on": None}  # no name: the record has it
    moved = api.post(f"/peer-workers/{elise}/move", json={"departement": "2A", "effective_on": "2021-01-04"})
    assert moved.status_code == 200
    assert find(departement="2A") == [elise]


def test_peer_worker_filters_refuse_what_they_cannot_take(api):
    for params in ({"status": "gone"}, {"domain": "cooking"}, {"structure_id": "42"}, {"registered_from": "0"},
                   {"display_name": "\x07"}, {"sort": "name"}):
        assert api.get("/peer-workers", params=params).status_code == 422, params


def test_every_page_of_people_is_logged_in_the_audit(served):
    app, api = served
    ids = [peer_worker(api, f"P{n}") for n in range(3)]
    audit = AuditLog.of(app.state.registry)
    first = api.get("/peer-workers", params={"limit": 2}).json()
    api.get("/peer-workers", params={"limit": 2, "cursor": first["next"]})
    api.get("/structures")  # no person there
    reads = audit.entries(subject="national")
    assert sorted(str(read.record_id) for read in reads) == sorted(ids)
    assert {read.record_kind for read in reads} == {"peer worker"}
    api.get("/peer-workers", params={"display_name": "nobody"})
    assert len(audit.entries(subject="national")) == 3  # an empty page reads no one


def test_a_rebuild_from_the_log_gives_the_same_pages(served):
    app, api = served
    employer = structure(api, "Employer", "69")
    people = [peer_worker(api, name, departement) for name, departement in (("A", "38"), ("B", "69"), ("C", "38"))]
    employ(api, people[1], employer)
    api.post(f"/peer-workers/{people[2]}/withdraw", json={})
    queries = [("/structures", {"employing": "true"}), ("/peer-workers", {"status": "counted", "limit": 1}),
               ("/peer-workers", {"display_name": "b"}), ("/structures", {"sort": "-registered_on"})]
    before = [listed(api, path, **params) for path, params in queries]
    view = app.state.lists.runner.projection.view
    with view.datastore.transaction(commit=True) as db:  # the lists lost their rows
        db.execute(f"DELETE FROM {view.table('list_peer_workers')}")
        db.execute(f"DELETE FROM {view.table('list_structures')}")
    assert api.post("/operations/lists/rebuild", headers=STAFF).status_code == 403
    rebuilt = api.post("/operations/lists/rebuild", headers=ADMIN)
    assert rebuilt.status_code == 200
    assert rebuilt.json()["position"] == app.state.registry.recorder.max_notification_id()
    assert [listed(api, path, **params) for path, params in queries] == before
    assert before[1] == sorted(people[:2]) and before[2] == [people[1]]


def test_an_erased_person_is_in_no_list_and_their_blind_index_is_gone(served):
    app, api = served
    kept, erased = peer_worker(api, "Kept"), peer_worker(api, "Zoé Erased")
    employer = structure(api, "Employer")
    employ(api, erased, employer)
    assert listed(api, "/peer-workers", display_name="zoe erased") == [erased]
    index = blind_index(DEVELOPMENT_NAME_INDEX_KEY.get_secret_value().encode(), "Zoé Erased")
    assert api.delete(f"/peer-workers/{erased}", headers=ADMIN).status_code == 204
    view = app.state.lists.runner.projection.view
    with view.reading() as db:  # deleted at erasure, before any list was read
        db.execute(view.sql(f"SELECT COUNT(*) AS n FROM {view.table('list_peer_workers')} WHERE name_index = ? OR id = ?"),
                   (index, erased))
        assert db.fetchone()["n"] == 0
    if (path := app.state.registry.factory.env.get("SQLITE_DBNAME")) is not None:
        from pathlib import Path
        on_disk = b"".join(p.read_bytes() for p in Path(path).parent.glob(Path(path).name + "*"))
        assert index.encode() not in on_disk  # nor left in the file's free pages or its log
    assert listed(api, "/peer-workers") == [kept]
    assert listed(api, "/peer-workers", display_name="Zoé Erased") == []
    assert listed(api, "/peer-workers", structure_id=employer) == []
    assert api.post("/operations/lists/rebuild", headers=ADMIN).status_code == 200
    assert listed(api, "/peer-workers") == [kept]  # nor after a rebuild
    assert listed(api, "/peer-workers", display_name="Zoé Erased") == []


def test_a_peer_worker_registered_by_a_hiring_has_no_name_to_find_but_is_listed(served):
    app, api = served
    registry = app.state.registry
    from peerwork_registry.domain.peer_worker import PeerWorker
    nameless = PeerWorker.register(None, "38", ["addiction"], TODAY - timedelta(days=3))
    registry.save(nameless)
    assert listed(api, "/peer-workers") == [str(nameless.id)]
    assert UUID(listed(api, "/peer-workers", registered_from=(TODAY - timedelta(days=3)).isoformat())[0]) == nameless.id


def test_a_withdrawal_ends_the_employments_in_the_lists_as_in_the_record(api):
    employer = structure(api, "Employer")
    anne = peer_worker(api)
    employ(api, anne, employer)
    assert names(api, employing="true") == ["Employer"]
    assert api.post(f"/peer-workers/{anne}/withdraw", json={}).status_code == 200
    assert api.get(f"/peer-workers/{anne}").json()["employments"][0]["ends_on"] == TODAY.isoformat()
    assert names(api, employing="true") == []
    assert listed(api, "/peer-workers", structure_id=employer) == []


def test_a_corrected_structure_is_listed_as_corrected(served):
    app, api = served
    wrong = structure(api, "Relais Ozanan", "69", "culture")
    corrected = api.post(f"/structures/{wrong}/correct", json={
        "reason": "typed from a form", "name": "Relais Ozanam", "departement": "38", "sector": "addiction",
        "siret": "73282932000074",
    })
    assert corrected.status_code == 200, corrected.text
    assert names(api, name="ozanam", departement="38", sector="addiction", siret="73282932000074") == ["Relais Ozanam"]
    assert names(api, departement="69") == names(api, name="ozanan") == []
    assert listed(api, "/structures", headers=ISERE) == [wrong]
    before = listed(api, "/structures", name="ozanam")
    assert api.post("/operations/lists/rebuild", headers=ADMIN).status_code == 200
    assert listed(api, "/structures", name="ozanam") == before == [wrong]


def test_peer_workers_are_listed_as_corrected_reinstated_and_merged(served):
    app, api = served
    why = {"reason": "typed from a form"}
    employer = structure(api, "Oiseau Bleu", "38", "addiction")
    anne = peer_worker(api, "Anne", "69", registered_on="2022-01-03")
    twice = peer_worker(api, "Anne B", "38", domains=("mental_health",), registered_on="2021-06-01")
    employment = employ(api, anne, employer)

    response = api.post(f"/peer-workers/{anne}/correct-registration",
                        json={"departement": "38", "domains": ["precarity_homelessness"], **why})
    assert response.status_code == 200, response.text
    assert set(listed(api, "/peer-workers", departement="38")) == {anne, twice}
    assert listed(api, "/peer-workers", domain="precarity_homelessness") == [anne]
    assert listed(api, "/peer-workers", domain="addiction") == listed(api, "/peer-workers", departement="69") == []

    assert api.post(f"/peer-workers/{anne}/withdraw", json={"effective_on": "2022-05-01"}).status_code == 200
    assert listed(api, "/peer-workers", structure_id=employer) == []
    assert api.post(f"/peer-workers/{anne}/reinstate", json=why).status_code == 200
    assert listed(api, "/peer-workers", status="counted", structure_id=employer) == [anne]

    assert api.post(f"/peer-workers/{anne}/employments/{employment}/cancel", json=why).status_code == 200
    assert listed(api, "/structures", employing="true") == []
    employ(api, anne, employer)

    # The person registered twice is listed once, from the earlier registration, and the
    # employments of the merged record are the survivor's.
    response = api.post(f"/peer-workers/{anne}/merge", json={"into": twice, **why})
    assert response.status_code == 200, response.text
    assert listed(api, "/peer-workers") == [twice]
    assert listed(api, "/peer-workers", structure_id=employer) == [twice]
    assert listed(api, "/peer-workers", registered_to="2021-12-31") == [twice]
    before = {path: listed(api, path) for path in ("/peer-workers", "/structures")}
    assert api.post("/operations/lists/rebuild", headers=ADMIN).status_code == 200
    assert {path: listed(api, path) for path in ("/peer-workers", "/structures")} == before


def test_a_corrected_registration_keeps_its_legal_basis_in_the_lists_and_erasure_takes_it(served):
    app, api = served
    anne = peer_worker(api, "Anne", "69")
    assert listed(api, "/peer-workers", legal_basis="explicit_consent") == [anne]
    response = api.post(f"/peer-workers/{anne}/correct-registration",
                        json={"departement": "38", "reason": "typed from a form"})
    assert response.status_code == 200, response.text
    assert listed(api, "/peer-workers", legal_basis="explicit_consent") == [anne]
    assert listed(api, "/peer-workers", legal_basis="none") == []
    assert api.delete(f"/peer-workers/{anne}", headers=ADMIN).status_code == 204
    view = app.state.lists.runner.projection.view
    with view.reading() as db:  # no row of the erased person is left in any of the lists' tables
        db.execute(view.sql(f"SELECT COUNT(*) AS n FROM {view.table('list_peer_worker_legal_bases')} "
                            "WHERE peer_worker_id = ?"), (anne,))
        assert db.fetchone()["n"] == 0
