"""The accompaniment's HTTP API through a real HTTP client, on SQLite and PostgreSQL:
every command and read, and refusals that are 4xx and store nothing."""

from uuid import uuid4

import pytest

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.registry_records import RegistryRecords
from peerwork_contracts.calendar import today
from tests.helpers import TOMORROW, on_days
from tests.integration.registry_events import (
    known_structure,
    peer_worker_registered,
    peer_worker_reinstated,
    peer_worker_withdrawn,
)


def stored(application: Accompaniments) -> int:
    return application.recorder.max_notification_id() or 0


def open_one(api, application, **overrides) -> str:  # noqa: ANN001
    body = {
        "structure_id": str(known_structure(application)), "departement": "38", "channel": "structure",
        "request": "Accueillir une travailleuse paire", "requested_on": "2023-01-15", **overrides,
    }
    response = api.post("/accompaniments", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def schedule_one(api, **overrides) -> str:  # noqa: ANN001
    body = {
        "title": "Rencontre des pairs", "kind": "collective_peer_meeting", "audience": "peer_workers",
        "departement": "13", "starts_on": "2024-05-02", "duration_hours": 3, "capacity": 3,
        "scheduled_on": "2024-04-01", **overrides,
    }
    response = api.post("/training-sessions", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_an_accompaniment_reads_back_with_its_timeline(api, application):
    accompaniment = open_one(api, application)
    for body in (
        {"milestone": "team_awareness", "occurred_on": "2023-02-01", "note": "Équipe de nuit"},
        {"milestone": "readiness_assessed", "occurred_on": "2023-02-15", "ready": False, "reason": "Turnover"},
        {"milestone": "team_awareness", "occurred_on": "2023-03-01"},
        {"milestone": "peer_worker_hired", "occurred_on": "2023-06-01", "peer_worker_id": str(uuid4())},
    ):
        response = api.post(f"/accompaniments/{accompaniment}/milestones", json=body)
        assert response.status_code == 201, response.text
    closed = api.post(f"/accompaniments/{accompaniment}/close", json={"outcome": "hired", "closed_on": "2023-09-01"})
    assert closed.status_code == 200, closed.text
    body = api.get(f"/accompaniments/{accompaniment}").json()
    assert [step["milestone"] for step in body["timeline"]] == [
        "team_awareness", "readiness_assessed", "team_awareness", "peer_worker_hired",
    ]
    assert body["timeline"][1]["reason"] == "Turnover"
    assert body["timeline"][3]["hiring_id"] is not None
    assert (body["region"], body["outcome"], body["closed_on"]) == ("84", "hired", "2023-09-01")
    assert body["version"] == 6


def test_a_hiring_of_someone_new_gets_the_id_the_registry_will_use(api, application):
    accompaniment = open_one(api, application)
    response = api.post(f"/accompaniments/{accompaniment}/milestones", json={
        "milestone": "peer_worker_hired", "occurred_on": "2023-06-01",
        "new_peer_worker": {"departement": "38", "domains": ["addiction"]},
    })
    assert response.status_code == 201, response.text
    assert response.json()["peer_worker_id"]


def test_a_peer_worker_withdrawn_from_the_census_is_not_hired_until_reinstated(api, application):
    accompaniment, peer_worker = open_one(api, application), uuid4()
    records = RegistryRecords.of(application)
    history = [peer_worker_registered(peer_worker, "38", 1), peer_worker_withdrawn(peer_worker, "38", 2)]
    records.apply(history, last_sequence=records.last_sequence() + 2)
    before = application.recorder.max_notification_id()
    hiring = {"milestone": "peer_worker_hired", "occurred_on": "2023-06-01", "peer_worker_id": str(peer_worker)}
    refused = api.post(f"/accompaniments/{accompaniment}/milestones", json=hiring)
    assert refused.status_code == 409 and "reinstate" in refused.json()["detail"], refused.text
    assert application.recorder.max_notification_id() == before
    records.apply([peer_worker_reinstated(peer_worker, "38", 3)], last_sequence=records.last_sequence() + 1)
    assert api.post(f"/accompaniments/{accompaniment}/milestones", json=hiring).status_code == 201


def test_a_training_session_reads_back_with_enrolments_and_attendance(api):
    session = schedule_one(api, capacity=4)
    peer = api.post(f"/training-sessions/{session}/enrolments", json={"peer_worker_id": str(uuid4()), "enrolled_on": "2024-04-10"})
    staff = api.post(f"/training-sessions/{session}/enrolments", json={"structure_id": str(uuid4()), "seats": 3, "enrolled_on": "2024-04-11"})
    assert (peer.status_code, staff.status_code) == (201, 201), staff.text
    for enrolment, attended in ((peer.json()["id"], 1), (staff.json()["id"], 2)):
        response = api.post(f"/training-sessions/{session}/enrolments/{enrolment}/attendance", json={"attended": attended, "recorded_on": "2024-05-02"})
        assert response.status_code == 200, response.text
    completed = api.post(f"/training-sessions/{session}/complete", json={"completed_on": "2024-05-03"})
    assert completed.status_code == 200, completed.text
    body = api.get(f"/training-sessions/{session}").json()
    assert (body["status"], body["seats_taken"], body["participants"], body["ends_on"]) == ("completed", 4, 3, "2024-05-02")
    assert [e["attended"] for e in body["enrolments"]] == [1, 2]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/accompaniments", {"departement": "38", "channel": "funder", "request": "x"}, "structure_id"),
        ("/accompaniments", {"structure_id": str(uuid4()), "departement": "20", "channel": "funder", "request": "x"}, "departement"),
        ("/accompaniments", {"structure_id": str(uuid4()), "departement": "38", "channel": "phone", "request": "x"}, "channel"),
        ("/accompaniments", {"structure_id": str(uuid4()), "departement": "38", "channel": "funder", "request": "x",
                             "requested_on": TOMORROW}, "requested_on"),
        ("/accompaniments", {"structure_id": str(uuid4()), "departement": "38", "channel": "funder", "request": "x",
                             "requested_on": "1999-12-31"}, "requested_on"),
        ("/accompaniments", {"structure_id": str(uuid4()), "departement": "38", "channel": "funder", "request": "x", "name": "Anne"}, "name"),
        ("/training-sessions", {"title": "T", "kind": "yoga", "audience": "mixed", "departement": "38",
                                "starts_on": "2024-01-01", "duration_hours": 2, "capacity": 5}, "kind"),
        ("/training-sessions", {"title": "T", "kind": "peer_worker_training", "audience": "mixed", "departement": "38",
                                "starts_on": "2024-01-01", "duration_hours": 0, "capacity": 5}, "duration_hours"),
        ("/training-sessions", {"title": "T", "kind": "peer_worker_training", "audience": "mixed", "departement": "38",
                                "starts_on": "0001-01-01", "duration_hours": 2, "capacity": 5}, "starts_on"),
        ("/training-sessions", {"title": "T", "kind": "peer_worker_training", "audience": "mixed", "departement": "38",
                                "starts_on": "2024-01-01", "ends_on": "9999-12-31", "duration_hours": 2, "capacity": 5}, "ends_on"),
    ],
)
def test_an_invalid_command_gets_a_field_level_422_and_stores_nothing(api, application, path, body, field):
    before = stored(application)
    response = api.post(path, json=on_days(body))
    assert response.status_code == 422
    assert field in {str(part) for error in response.json()["detail"] for part in error["loc"]}
    assert stored(application) == before


def test_broken_rules_get_a_409_with_the_reason_and_store_nothing(api, application):
    accompaniment = open_one(api, application)
    session = schedule_one(api, capacity=1)
    api.post(f"/training-sessions/{session}/enrolments", json={"peer_worker_id": str(uuid4()), "enrolled_on": "2024-04-10"})
    refusals = [
        (f"/accompaniments/{accompaniment}/close", {"outcome": "hired", "closed_on": "2023-09-01"}, "peer_worker_hired"),
        (f"/accompaniments/{accompaniment}/milestones", {"milestone": "team_awareness", "occurred_on": "2022-12-31"}, "before the request"),
        (f"/training-sessions/{session}/enrolments", {"structure_id": str(uuid4()), "seats": 2, "enrolled_on": "2024-04-11"}, "full"),
        (f"/training-sessions/{session}/complete", {"completed_on": "2024-05-02"}, "attendance"),
    ]
    before = stored(application)
    for path, body, reason in refusals:
        response = api.post(path, json=body)
        assert response.status_code == 409, (path, response.text)
        assert reason in response.json()["detail"]
    api.post(f"/accompaniments/{accompaniment}/close", json={"outcome": "abandoned", "closed_on": "2023-09-01"})
    after_closing = stored(application)
    for path, body in (
        (f"/accompaniments/{accompaniment}/close", {"outcome": "redirected", "closed_on": "2023-09-02"}),
        (f"/accompaniments/{accompaniment}/milestones", {"milestone": "follow_up_meeting", "occurred_on": "2023-09-02"}),
    ):
        response = api.post(path, json=body)
        assert response.status_code == 409
        assert "closed" in response.json()["detail"]
    assert (before + 1, after_closing) == (after_closing, stored(application))


def test_a_command_outside_the_rules_of_a_value_gets_a_422_with_the_reason(api, application):
    accompaniment = open_one(api, application)
    before = stored(application)
    response = api.post(f"/accompaniments/{accompaniment}/milestones", json={
        "milestone": "peer_worker_hired", "occurred_on": "2023-06-01",
        "peer_worker_id": str(uuid4()), "new_peer_worker": {"departement": "38", "domains": ["addiction"]},
    })
    assert response.status_code == 422
    assert "not both" in response.json()["detail"]
    response = api.post(f"/accompaniments/{accompaniment}/milestones", json={"milestone": "readiness_assessed", "occurred_on": "2023-06-01"})
    assert response.status_code == 422
    assert stored(application) == before


def test_unknown_ids_get_a_404(api):
    unknown = uuid4()
    assert api.get(f"/accompaniments/{unknown}").status_code == 404
    assert api.post(f"/accompaniments/{unknown}/close", json={"outcome": "abandoned"}).status_code == 404
    assert api.get(f"/training-sessions/{unknown}").status_code == 404
    session = schedule_one(api)
    response = api.post(f"/training-sessions/{session}/enrolments/{unknown}/attendance", json={"attended": 1, "recorded_on": "2024-05-02"})
    assert response.status_code == 404
    assert str(unknown) in response.json()["detail"]
    # A session is not an accompaniment, even though both live in the same store.
    assert api.get(f"/accompaniments/{session}").status_code == 404


def test_records_survive_a_restart(store_env):
    first = Accompaniments(env=store_env)
    accompaniment = first.open_accompaniment(uuid4(), "974", "network", "Un pair aidant", today())
    first.reach_milestone(accompaniment, "missions_defined", today())
    first.close()
    again = Accompaniments(env=store_env)
    try:
        reopened = again.get_accompaniment(accompaniment)
        assert (reopened.departement, [s.milestone for s in reopened.timeline]) == ("974", ["missions_defined"])
    finally:
        again.close()
