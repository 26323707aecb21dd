"""The accompaniment's lists over real HTTP, on SQLite and PostgreSQL, built through the
composition root: every filter of accompaniments and training sessions, page boundaries
and cursors, territories, and rebuilds from the log giving the same pages."""

import httpx
import pytest

from peerwork_accompaniment.bootstrap import bootstrap
from peerwork_accompaniment.config import Settings
from tests.helpers import ServedApp, bearer, listed
from tests.integration.registry_events import known_structure

STAFF = bearer("staff", subject="national")
ISERE = bearer("staff", subject="isère", departements=["38"])
ADMIN = bearer("admin", subject="dpo")
# A structure whose staff enrol (a national token names it unchecked).
STAFF_OF = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def served(store_settings):
    app = bootstrap(Settings(**store_settings, relay_enabled=False, registry_records_enabled=False))
    with ServedApp(app) as server, httpx.Client(base_url=server.url, headers=STAFF) as api:
        yield app, api


@pytest.fixture
def api(served) -> httpx.Client:
    return served[1]


@pytest.fixture
def opened(served):
    """Opens an accompaniment of a structure the registry knows (a new one unless given)."""
    app, api = served

    def open_one(requested_on: str = "2023-01-15", departement: str = "38", structure_id: str | None = None) -> str:
        structure_id = structure_id or str(known_structure(app.state.accompaniments, departement))
        response = api.post("/accompaniments", json={
            "structure_id": structure_id, "departement": departement, "channel": "structure",
            "request": "Accueillir un travailleur pair", "requested_on": requested_on,
        })
        assert response.status_code == 201, response.text
        return response.json()["id"]

    return open_one


def post(api: httpx.Client, path: str, body: dict, expected: int = 200) -> None:
    response = api.post(path, json=body)
    assert response.status_code == expected, response.text


def reach(api: httpx.Client, accompaniment: str, milestone: str, on: str = "2023-02-01", **fields) -> None:
    post(api, f"/accompaniments/{accompaniment}/milestones", {"milestone": milestone, "occurred_on": on, **fields}, 201)


def close(api: httpx.Client, accompaniment: str, outcome: str, on: str = "2023-06-01") -> None:
    post(api, f"/accompaniments/{accompaniment}/close", {"outcome": outcome, "closed_on": on})


def session(api: httpx.Client, starts_on: str, kind: str = "peer_worker_training", audience: str = "peer_workers",
            departement: str = "38", capacity: int = 10) -> str:
    response = api.post("/training-sessions", json={
        "title": "Sensibilisation", "kind": kind, "audience": audience, "departement": departement,
        "starts_on": starts_on, "duration_hours": 7, "capacity": capacity, "scheduled_on": "2022-01-03",
    })
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_accompaniments_by_structure_place_status_last_milestone_and_dates(api, opened):
    early = opened("2022-03-01")
    lyon = opened("2023-01-15", "69")
    again = opened("2023-05-02", "69", structure_id=api.get(f"/accompaniments/{lyon}").json()["structure_id"])
    hired = opened("2023-09-30")
    reach(api, early, "team_awareness")
    reach(api, lyon, "team_awareness")
    reach(api, lyon, "missions_defined", "2023-03-01")
    reach(api, hired, "peer_worker_hired", "2023-10-02", new_peer_worker={"departement": "38", "domains": ["addiction"]})
    close(api, early, "abandoned")
    close(api, hired, "hired", "2023-11-01")

    def find(**params) -> list[str]:
        return listed(api, "/accompaniments", **params)

    assert find() == [early, lyon, again, hired]
    assert find(sort="-requested_on") == [hired, again, lyon, early]
    assert find(structure_id=api.get(f"/accompaniments/{lyon}").json()["structure_id"]) == [lyon, again]
    assert find(departement="69") == [lyon, again]
    assert find(status="open") == [lyon, again]
    assert find(status="closed") == [early, hired]
    assert find(status="hired") == [hired]
    assert find(status="abandoned") == [early]
    assert find(status="redirected") == []
    assert find(last_milestone="team_awareness") == [early]
    assert find(last_milestone="missions_defined") == [lyon]
    assert find(last_milestone="peer_worker_hired") == [hired]
    assert find(opened_from="2023-01-15") == [lyon, again, hired]
    assert find(opened_to="2023-01-15") == [early, lyon]
    assert find(opened_from="2023-01-16", opened_to="2023-09-29") == [again]
    assert find(departement="69", status="open", last_milestone="missions_defined") == [lyon]
    item = api.get("/accompaniments", params={"status": "hired"}).json()["items"][0]
    assert item == {
        "id": hired, "structure_id": item["structure_id"], "departement": "38", "region": "84", "channel": "structure",
        "requested_on": "2023-09-30", "status": "closed", "closed_on": "2023-11-01", "outcome": "hired",
        "last_milestone": "peer_worker_hired", "last_milestone_on": "2023-10-02",
    }  # no request nor notes: the record has them


def test_corrections_move_an_accompaniment_between_lists(api, opened):
    accompaniment = opened()
    reach(api, accompaniment, "team_awareness", "2023-02-01")
    reach(api, accompaniment, "missions_defined", "2023-03-01")
    post(api, f"/accompaniments/{accompaniment}/milestones/missions_defined/retract", {"reason": "Saisi par erreur"})
    assert listed(api, "/accompaniments", last_milestone="missions_defined") == []
    assert listed(api, "/accompaniments", last_milestone="team_awareness") == [accompaniment]
    assert api.get("/accompaniments").json()["items"][0]["last_milestone_on"] == "2023-02-01"
    post(api, f"/accompaniments/{accompaniment}/milestones/team_awareness/retract", {"reason": "Saisi par erreur"})
    item = api.get("/accompaniments").json()["items"][0]
    assert (item["last_milestone"], item["last_milestone_on"]) == (None, None)
    close(api, accompaniment, "postponed")
    assert listed(api, "/accompaniments", status="postponed") == [accompaniment]
    post(api, f"/accompaniments/{accompaniment}/reopen", {"reason": "Fermé par erreur"})
    assert listed(api, "/accompaniments", status="closed") == []
    assert listed(api, "/accompaniments", status="open") == [accompaniment]


def test_pages_hold_exactly_limit_rows_with_the_id_breaking_ties(api, opened):
    twins = sorted([opened("2023-01-15"), opened("2023-01-15"), opened("2023-01-15")])
    last = opened("2023-02-01")
    assert listed(api, "/accompaniments", limit=1) == [*twins, last]
    assert listed(api, "/accompaniments", limit=2, sort="-requested_on") == [last, *reversed(twins)]
    exactly = api.get("/accompaniments", params={"limit": 4}).json()
    assert ([item["id"] for item in exactly["items"]], exactly["next"]) == ([*twins, last], None)
    first = api.get("/accompaniments", params={"limit": 3}).json()
    assert [item["id"] for item in first["items"]] == twins and first["next"]
    second = api.get("/accompaniments", params={"limit": 3, "cursor": first["next"]}).json()
    assert ([item["id"] for item in second["items"]], second["next"]) == ([last], None)
    other_sort = api.get("/accompaniments", params={"limit": 3, "cursor": first["next"], "sort": "-requested_on"})
    assert other_sort.status_code == 422
    assert "given for the order 'requested_on'" in other_sort.json()["detail"]


@pytest.mark.parametrize("path, params", [
    ("/accompaniments", {"limit": 501}), ("/accompaniments", {"limit": 0}), ("/accompaniments", {"cursor": "nonsense"}),
    ("/accompaniments", {"status": "lost"}), ("/accompaniments", {"last_milestone": "lunch"}),
    ("/accompaniments", {"departement": "20"}), ("/accompaniments", {"structure_id": "12"}),
    ("/accompaniments", {"opened_from": "2023-02-30"}), ("/accompaniments", {"sort": "structure_id"}),
    ("/training-sessions", {"year": 1999}), ("/training-sessions", {"kind": "party"}),
    ("/training-sessions", {"audience": "everyone"}), ("/training-sessions", {"status": "open"}),
    ("/training-sessions", {"cursor": "W10"}), ("/training-sessions", {"limit": 501}),
    ("/accompaniments", {"statut": "open"}), ("/training-sessions", {"": "false"}),  # no filter left out unseen
])
def test_a_page_asked_for_wrongly_is_a_422_that_says_why(api, path, params):
    response = api.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_staff_of_a_territory_list_its_accompaniments_only(api, opened):
    grenoble, lyon = opened(departement="38"), opened(departement="69")
    assert listed(api, "/accompaniments", headers=ISERE) == [grenoble]
    assert listed(api, "/accompaniments", headers=ISERE, departement="69") == []
    assert listed(api, "/accompaniments", headers=bearer("staff", departements=["69", "38"])) == sorted([grenoble, lyon])
    assert len(listed(api, "/accompaniments", headers=bearer("admin", departements=["38"]))) == 2  # admins see all
    assert api.get("/accompaniments", headers=bearer("analyst")).status_code == 403
    assert httpx.get(str(api.base_url).rstrip("/") + "/accompaniments").status_code == 401


def test_training_sessions_by_year_kind_audience_status_and_place(api):
    spring = session(api, "2022-03-07", capacity=12)
    autumn = session(api, "2022-10-03", "awareness_for_professionals", "professionals", "69")
    new_year = session(api, "2023-01-09", "collective_peer_meeting", "mixed")
    planned = session(api, "2030-06-03")
    post(api, f"/training-sessions/{spring}/enrolments", {"structure_id": STAFF_OF, "seats": 5,
                                                           "enrolled_on": "2022-02-01"}, 201)
    post(api, f"/training-sessions/{spring}/cancel", {"cancelled_on": "2022-03-01"})
    post(api, f"/training-sessions/{autumn}/complete", {"completed_on": "2022-10-04"})

    def find(**params) -> list[str]:
        return listed(api, "/training-sessions", **params)

    assert find() == [spring, autumn, new_year, planned]
    assert find(sort="-starts_on", limit=1) == [planned, new_year, autumn, spring]
    assert find(year=2022) == [spring, autumn]
    assert find(year=2023) == [new_year]
    assert find(kind="awareness_for_professionals") == [autumn]
    assert find(audience="peer_workers") == [spring, planned]
    assert find(status="scheduled") == [new_year, planned]
    assert find(status="completed") == [autumn]
    assert find(status="cancelled") == [spring]
    assert find(departement="69") == [autumn]
    assert find(year=2022, audience="peer_workers", status="cancelled") == [spring]
    assert listed(api, "/training-sessions", headers=ISERE) == find()  # sessions are open to all, as their records
    item = api.get("/training-sessions", params={"status": "cancelled"}).json()["items"][0]
    assert item == {
        "id": spring, "title": "Sensibilisation", "kind": "peer_worker_training", "audience": "peer_workers",
        "departement": "38", "region": "84", "starts_on": "2022-03-07", "ends_on": "2022-03-07",
        "duration_hours": 7.0, "capacity": 12, "seats_taken": 5, "status": "cancelled",
        "completed_on": None, "cancelled_on": "2022-03-01",
    }


def test_a_rebuild_from_the_log_gives_the_same_pages(api, opened):
    ids = [opened(f"2023-0{month}-01") for month in range(1, 6)]
    reach(api, ids[0], "team_awareness")
    reach(api, ids[0], "missions_defined", "2023-03-01")
    post(api, f"/accompaniments/{ids[0]}/milestones/missions_defined/retract", {"reason": "Saisi par erreur"})
    close(api, ids[1], "redirected")
    session(api, "2022-05-02"), session(api, "2022-04-04", audience="mixed")

    def pages() -> list:
        return [
            api.get(path, params={"limit": 2, **params}).json()
            for path, params in [
                ("/accompaniments", {}), ("/accompaniments", {"sort": "-requested_on"}),
                ("/accompaniments", {"status": "open"}), ("/training-sessions", {}),
            ]
        ]

    before = pages()
    assert api.post("/operations/lists/rebuild").status_code == 403  # admins only
    rebuilt = api.post("/operations/lists/rebuild", headers=ADMIN)
    assert rebuilt.status_code == 200, rebuilt.text
    assert rebuilt.json()["position"] >= 9
    assert pages() == before
    following = before[0]["next"]  # a cursor given before the rebuild goes on after it
    assert [item["id"] for item in api.get("/accompaniments", params={"limit": 2, "cursor": following}).json()["items"]] \
        == ids[2:4]


def test_a_filter_misspelt_is_refused_rather_than_left_out(api, opened):
    opened()
    response = api.get("/accompaniments", params={"statut": "closed"})
    assert response.status_code == 422, response.text
    assert "takes no 'statut'" in response.json()["detail"] and "status" in response.json()["detail"]
