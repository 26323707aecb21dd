"""Corrections of accompaniments through a real HTTP client, on SQLite and PostgreSQL:
retracting the last milestone, reopening a closure made by mistake; each refusal a 409
that says what to do, and stores nothing."""

from uuid import uuid4

import httpx
import pytest

from tests.helpers import bearer
from tests.integration.accompaniment.test_accompaniment_api import stored
from tests.integration.registry_events import known_structure


def opened(api, application, departement: str = "38") -> str:  # noqa: ANN001
    response = api.post("/accompaniments", json={
        "structure_id": str(known_structure(application, departement)), "departement": departement,
        "channel": "structure", "request": "Accueillir un travailleur pair", "requested_on": "2023-01-15",
    })
    assert response.status_code == 201, response.text
    return response.json()["id"]


def reach(api, accompaniment: str, milestone: str, on: str, **fields) -> None:  # noqa: ANN001, ANN003
    response = api.post(f"/accompaniments/{accompaniment}/milestones", json={"milestone": milestone, "occurred_on": on, **fields})
    assert response.status_code == 201, response.text


def retract(api, accompaniment: str, milestone: str, reason: str = "Saisi par erreur") -> httpx.Response:  # noqa: ANN001
    return api.post(f"/accompaniments/{accompaniment}/milestones/{milestone}/retract", json={"reason": reason})


def reopen(api, accompaniment: str, reason: str = "Fermé par erreur") -> httpx.Response:  # noqa: ANN001
    return api.post(f"/accompaniments/{accompaniment}/reopen", json={"reason": reason})


def test_the_last_milestone_is_retracted_and_the_timeline_reads_without_it(api, application):
    accompaniment = opened(api, application)
    reach(api, accompaniment, "team_awareness", "2023-02-01")
    reach(api, accompaniment, "missions_defined", "2023-03-01")
    response = retract(api, accompaniment, "missions_defined")
    assert response.status_code == 200, response.text
    assert [step["milestone"] for step in response.json()["timeline"]] == ["team_awareness"]
    assert retract(api, accompaniment, "team_awareness").status_code == 200
    assert api.get(f"/accompaniments/{accompaniment}").json()["timeline"] == []


def test_a_hiring_recorded_by_mistake_is_retracted_and_the_accompaniment_no_longer_closes_as_hired(api, application):
    accompaniment = opened(api, application)
    reach(api, accompaniment, "team_awareness", "2023-02-01")
    reach(api, accompaniment, "peer_worker_hired", "2023-05-01", peer_worker_id=str(uuid4()))
    response = retract(api, accompaniment, "peer_worker_hired", "Embauche saisie dans le mauvais dossier")
    assert response.status_code == 200, response.text
    assert [step["milestone"] for step in response.json()["timeline"]] == ["team_awareness"]
    before = stored(application)
    closed = api.post(f"/accompaniments/{accompaniment}/close", json={"outcome": "hired", "closed_on": "2023-06-01"})
    assert closed.status_code == 409, closed.text
    assert "closes as hired only once a peer_worker_hired milestone is recorded" in closed.json()["detail"]
    assert stored(application) == before


def test_a_closure_made_by_mistake_is_reopened_and_the_accompaniment_goes_on(api, application):
    accompaniment = opened(api, application)
    api.post(f"/accompaniments/{accompaniment}/close", json={"outcome": "abandoned", "closed_on": "2023-06-01"})
    response = reopen(api, accompaniment)
    assert response.status_code == 200, response.text
    assert (response.json()["closed_on"], response.json()["outcome"]) == (None, None)
    reach(api, accompaniment, "follow_up_meeting", "2023-06-02")
    closed = api.post(f"/accompaniments/{accompaniment}/close", json={"outcome": "redirected", "closed_on": "2023-07-01"})
    assert (closed.status_code, closed.json()["outcome"]) == (200, "redirected")


def test_corrections_that_cannot_be_made_get_a_409_saying_what_to_do_and_store_nothing(api, application):
    accompaniment = opened(api, application)
    nothing = retract(api, accompaniment, "team_awareness")
    not_closed = reopen(api, accompaniment)
    reach(api, accompaniment, "team_awareness", "2023-02-01")
    reach(api, accompaniment, "peer_worker_hired", "2023-05-01", peer_worker_id=str(uuid4()))
    not_the_last = retract(api, accompaniment, "team_awareness")
    api.post(f"/accompaniments/{accompaniment}/close", json={"outcome": "hired", "closed_on": "2023-06-01"})
    before = stored(application)
    closed = retract(api, accompaniment, "peer_worker_hired")
    for response, says in (
        (nothing, "nothing to retract"), (not_closed, "not closed"),
        (not_the_last, "only the last milestone"), (closed, "reopen it first"),
    ):
        assert response.status_code == 409, response.text
        assert says in response.json()["detail"]
    assert stored(application) == before


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 2001}])
def test_a_correction_says_why(api, application, body):
    accompaniment = opened(api, application)
    reach(api, accompaniment, "team_awareness", "2023-02-01")
    before = stored(application)
    for path in ("milestones/team_awareness/retract", "reopen"):
        response = api.post(f"/accompaniments/{accompaniment}/{path}", json=body)
        assert response.status_code == 422, response.text
    assert api.post(f"/accompaniments/{accompaniment}/milestones/planting/retract", json={"reason": "x"}).status_code == 422
    assert stored(application) == before


def test_corrections_outside_the_territory_answer_404_as_for_unknown_ids(api, served, application):
    accompaniment = opened(api, application, "75")
    reach(api, accompaniment, "team_awareness", "2023-02-01")
    api.post(f"/accompaniments/{accompaniment}/close", json={"outcome": "abandoned", "closed_on": "2023-06-01"})
    before = stored(application)
    with httpx.Client(base_url=served.url, headers=bearer("staff", departements=["38"])) as isere:
        for target in (accompaniment, str(uuid4())):
            assert isere.post(f"/accompaniments/{target}/reopen", json={"reason": "Erreur"}).status_code == 404
            response = isere.post(f"/accompaniments/{target}/milestones/team_awareness/retract", json={"reason": "Erreur"})
            assert response.status_code == 404
    assert stored(application) == before
