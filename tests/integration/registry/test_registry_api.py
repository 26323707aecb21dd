"""The registry's HTTP API through a real HTTP client; refusals are 4xx and store nothing."""

from uuid import uuid4

import httpx
import pytest

from peerwork_contracts.calendar import today
from peerwork_registry.bootstrap import bootstrap
from peerwork_registry.config import Settings
from tests.helpers import CONSENT_BODY, TOMORROW, ServedApp, bearer, on_days


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = Settings(sqlite_path=tmp_path_factory.mktemp("registry") / "r.sqlite", relay_enabled=False)
    return bootstrap(settings)


@pytest.fixture(scope="module")
def api(app):
    with ServedApp(app) as served, httpx.Client(base_url=served.url, headers=bearer("staff")) as client:
        yield client


def stored(app) -> int:  # noqa: ANN001
    return app.state.registry.recorder.max_notification_id() or 0


def new_structure(api, **overrides) -> str:  # noqa: ANN001
    # Each its own name: a name that reads the same in a département is a duplicate.
    body = {"name": f"Le Relais {uuid4().hex[:8]}", "departement": "38", "sector": "shelter_housing", **overrides}
    response = api.post("/structures", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def new_peer_worker(api, **overrides) -> str:  # noqa: ANN001
    body = {"legal_basis": CONSENT_BODY, "display_name": "Anne", "departement": "38", "domains": ["addiction"], **overrides}
    response = api.post("/peer-workers", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_a_structure_is_registered_and_read_back(api):
    structure_id = new_structure(api, siret="73282932000074", effective_on="2019-05-02", departement="2A")
    body = api.get(f"/structures/{structure_id}").json()
    assert body["siret"] == "73282932000074"
    assert (body["departement"], body["region"], body["registered_on"]) == ("2A", "94", "2019-05-02")


def test_a_peer_worker_lives_through_employment_move_and_withdrawal(api):
    structure_id = new_structure(api)
    peer_worker_id = new_peer_worker(api, registered_on="2021-01-04")
    response = api.post(f"/peer-workers/{peer_worker_id}/employments", json={"structure_id": structure_id, "starts_on": "2021-02-01"})
    assert response.status_code == 201
    employment_id = response.json()["id"]
    response = api.post(f"/peer-workers/{peer_worker_id}/employments/{employment_id}/end", json={"ends_on": "2022-02-01"})
    assert response.status_code == 200
    assert api.post(f"/peer-workers/{peer_worker_id}/move", json={"departement": "69", "effective_on": "2022-03-01"}).status_code == 200
    response = api.post(f"/peer-workers/{peer_worker_id}/withdraw", json={"effective_on": "2023-01-01"})
    body = response.json()
    assert (body["departement"], body["region"], body["withdrawn_on"]) == ("69", "84", "2023-01-01")
    assert api.get(f"/peer-workers/{peer_worker_id}/employments").json()[0]["ends_on"] == "2022-02-01"
    assert body["display_name"] == "Anne"


def test_without_a_date_the_fact_takes_effect_today(api):
    peer_worker_id = new_peer_worker(api)
    assert api.get(f"/peer-workers/{peer_worker_id}").json()["registered_on"] == today().isoformat()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/structures", {"name": "X", "departement": "20", "sector": "culture"}, "departement"),
        ("/structures", {"name": "X", "departement": "38", "sector": "banking"}, "sector"),
        ("/structures", {"name": "X", "departement": "38", "sector": "culture", "siret": "73282932000075"}, "siret"),
        ("/structures", {"departement": "38", "sector": "culture"}, "name"),
        ("/peer-workers", {"legal_basis": CONSENT_BODY, "display_name": "A", "departement": "38", "domains": []}, "domains"),
        ("/peer-workers", {"legal_basis": CONSENT_BODY, "display_name": "A", "departement": "38", "domains": ["addiction"],
                           "registered_on": TOMORROW}, "registered_on"),
        ("/peer-workers", {"legal_basis": CONSENT_BODY, "display_name": "A", "departement": "38", "domains": ["addiction"], "extra": 1}, "extra"),
    ],
)
def test_invalid_payloads_get_field_level_422_and_store_nothing(api, app, path, body, field):
    before = stored(app)
    response = api.post(path, json=on_days(body))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == field
    assert error["msg"]
    assert stored(app) == before


def test_a_date_before_the_earliest_effective_date_is_refused_with_the_bound(api, app):
    before = stored(app)
    body = {"name": "X", "departement": "38", "sector": "culture", "effective_on": "0001-01-01"}
    response = api.post("/structures", json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "effective_on" and "from 2000-01-01 on" in error["msg"]
    assert stored(app) == before


@pytest.mark.parametrize("ends_on", ["0001-01-01", "9999-12-31"])
def test_a_planned_end_out_of_range_is_refused_with_the_bounds(api, app, ends_on):
    peer_worker = api.post("/peer-workers", json={
        "legal_basis": CONSENT_BODY,
        "display_name": "Anne", "departement": "38", "domains": ["addiction"], "registered_on": "2020-01-01",
    }).json()["id"]
    body = {"structure_id": new_structure(api), "starts_on": "2020-02-01", "ends_on": ends_on}
    before = stored(app)
    response = api.post(f"/peer-workers/{peer_worker}/employments", json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "ends_on" and "a day is planned from 2000-01-01" in error["msg"]
    assert stored(app) == before


def test_unknown_ids_are_404(api, app):
    unknown = uuid4()
    assert api.get(f"/peer-workers/{unknown}").status_code == 404
    assert api.get(f"/structures/{unknown}").status_code == 404
    structure_id = new_structure(api)
    assert api.get(f"/peer-workers/{structure_id}").status_code == 404  # a structure is no peer worker
    peer_worker_id = new_peer_worker(api)
    before = stored(app)
    response = api.post(f"/peer-workers/{peer_worker_id}/employments", json={"structure_id": str(unknown)})
    assert response.status_code == 404
    assert str(unknown) in response.json()["detail"]
    assert api.post(f"/peer-workers/{peer_worker_id}/employments/{unknown}/end", json={}).status_code == 404
    assert api.post(f"/peer-workers/{unknown}/withdraw", json={}).status_code == 404
    assert api.get("/peer-workers/not-a-uuid").status_code == 422
    assert stored(app) == before


def test_broken_rules_are_409_with_the_reason_and_store_nothing(api, app):
    structure_id = new_structure(api)
    peer_worker_id = new_peer_worker(api, registered_on="2020-01-01")
    employment_id = api.post(f"/peer-workers/{peer_worker_id}/employments", json={"structure_id": structure_id, "starts_on": "2020-02-01"}).json()["id"]
    assert api.post(f"/peer-workers/{peer_worker_id}/employments/{employment_id}/end", json={"ends_on": "2020-06-01"}).status_code == 200
    before = stored(app)
    response = api.post(f"/peer-workers/{peer_worker_id}/employments/{employment_id}/end", json={"ends_on": "2020-07-01"})
    assert response.status_code == 409
    assert "already ended" in response.json()["detail"]

    assert api.post(f"/peer-workers/{peer_worker_id}/withdraw", json={"effective_on": "2021-01-01"}).status_code == 200
    before = stored(app)
    response = api.post(f"/peer-workers/{peer_worker_id}/employments", json={"structure_id": structure_id})
    assert response.status_code == 409
    assert "withdrawn on 2021-01-01" in response.json()["detail"]
    assert stored(app) == before


def test_a_siret_registered_twice_is_409(api, app):
    new_structure(api, siret="35600000000048")
    before = stored(app)
    response = api.post("/structures", json={"name": "B", "departement": "38", "sector": "culture", "siret": "35600000000048"})
    assert response.status_code == 409
    assert stored(app) == before


def test_docs_and_event_catalogue_are_served(api):
    assert api.get("/docs").status_code == 200
    assert "/peer-workers" in api.get("/openapi.json").json()["paths"]
    channels = api.get("/asyncapi.json").json()["channels"]
    assert "peerwork.registry.peer_worker.registered.v1" in channels
