"""Registry → NATS JetStream → reporting, as separate processes, as operators run them."""

import httpx
import nats

from peerwork_contracts import streams, subjects
from peerwork_contracts.calendar import today
from tests.e2e.services import ANALYST, EXACT, STAFF, Service, national, register
from tests.helpers import CONSENT_BODY, eventually, eventually_async


def test_a_registration_shows_in_the_statistics(stack):
    registry, reporting = stack
    with httpx.Client(base_url=registry.url, headers=STAFF) as client:
        structure = client.post("/structures", json={"name": "Relais", "departement": "69", "sector": "addiction"}).json()["id"]
        worker = client.post("/peer-workers", json={"legal_basis": CONSENT_BODY, "display_name": "Anne", "departement": "38", "domains": ["addiction"]}).json()["id"]
        client.post(f"/peer-workers/{worker}/employments", json={"structure_id": structure})
    eventually(lambda: national(reporting)["employed_peer_workers"] == 1)
    figures = national(reporting)
    assert (figures["peer_workers"], figures["partner_structures"], figures["departements_covered"]) == (1, 1, 2)
    region = httpx.get(f"{reporting.url}/stats/regions/84", params=EXACT, headers=ANALYST).json()
    assert region["peer_workers"] == 1 and region["share_of_peer_workers"] == 1.0
    # Protected as a release of today would be: the public reads the past years' only.
    isere = httpx.get(f"{reporting.url}/stats/departments/38", params={"as_of": today().isoformat()}, headers=ANALYST).json()
    assert (isere["name"], isere["peer_workers"], isere["partner_structures"]) == ("Isère", "suppressed", 0)
    assert httpx.get(f"{reporting.url}/stats/departments/38", params=EXACT).status_code == 401


def test_killing_reporting_mid_stream_leaves_every_count_exact(stack):
    registry, reporting = stack
    register(registry, 150)
    reporting.kill()
    register(registry, 150, departement="69")
    reporting.start()
    reporting.kill()  # again, while it catches up
    reporting.start()
    eventually(lambda: national(reporting)["peer_workers"] == 300, timeout=60)
    assert httpx.get(f"{reporting.url}/stats/departments/69", params=EXACT, headers=ANALYST).json()["peer_workers"] == 150
    register(registry, 1)
    eventually(lambda: national(reporting)["peer_workers"] == 301)


def test_killing_the_relay_mid_stream_leaves_every_count_exact(stack):
    registry, reporting = stack
    register(registry, 100)
    registry.kill()
    registry.start()
    register(registry, 100)
    eventually(lambda: national(reporting)["peer_workers"] == 200, timeout=60)


async def test_a_malformed_or_unknown_event_is_parked_not_counted(stack, nats_server):
    registry, reporting = stack
    connection = await nats.connect(nats_server.url)
    js = connection.jetstream()
    # On another service's subjects: the registry's are its relay's alone.
    await js.publish("peerwork.accompaniment.peer_worker.registered.v1", b"{not json", stream=streams.EVENTS.name)
    await js.publish("peerwork.accompaniment.peer_worker.hatched.v1", b"{}", stream=streams.EVENTS.name)
    register(registry, 2)
    eventually(lambda: national(reporting)["peer_workers"] == 2)

    async def parked() -> bool:
        info = await js.stream_info(streams.DEAD_LETTERS.name)
        return info.state.messages == 2

    await eventually_async(parked)
    message = await js.get_last_msg(streams.DEAD_LETTERS.name, subjects.dead_letter_subject("reporting"))
    assert message.headers["Peerwork-Original-Subject"] == "peerwork.accompaniment.peer_worker.hatched.v1"
    assert "hatched" in message.headers["Peerwork-Error"]
    await connection.close()
    assert reporting.process.poll() is None


def once_arrived(client: httpx.Client, path: str, body: dict) -> httpx.Response:
    """The answer to a command naming a structure registered a moment ago, once the
    structure crossed the bus (refused meanwhile with a 422 that stores nothing)."""
    answers: list[httpx.Response] = []
    eventually(lambda: answers.append(client.post(path, json=body)) or answers[-1].status_code != 422)
    return answers[-1]


def test_a_hiring_recorded_by_the_accompaniment_becomes_an_employment_in_the_registry(stack, nats_server, tmp_path, persistence):
    registry, reporting = stack
    accompaniment = Service("accompaniment", nats_server.url, tmp_path, persistence).start()
    try:
        with httpx.Client(base_url=registry.url, headers=STAFF) as client:
            structure = client.post("/structures", json={"name": "Relais", "departement": "38", "sector": "addiction"}).json()["id"]
        with httpx.Client(base_url=accompaniment.url, headers=STAFF) as client:
            opened = once_arrived(client, "/accompaniments", {
                "structure_id": structure, "departement": "38", "channel": "funder",
                "request": "Recruter un travailleur pair", "requested_on": "2024-01-10",
            })
            assert opened.status_code == 201, opened.text
            accompaniment_id = opened.json()["id"]
            hired = client.post(f"/accompaniments/{accompaniment_id}/milestones", json={
                "milestone": "peer_worker_hired", "occurred_on": "2024-03-01",
                "new_peer_worker": {"departement": "38", "domains": ["addiction"]},
            })
            assert hired.status_code == 201, hired.text
            peer_worker_id = hired.json()["peer_worker_id"]

        def employed() -> bool:
            response = httpx.get(f"{registry.url}/peer-workers/{peer_worker_id}", headers=STAFF)
            return response.status_code == 200 and len(response.json()["employments"]) == 1

        eventually(employed)
        record = httpx.get(f"{registry.url}/peer-workers/{peer_worker_id}", headers=STAFF).json()
        assert record["display_name"] is None
        assert record["employments"][0]["structure_id"] == structure
        assert record["employments"][0]["starts_on"] == "2024-03-01"
        eventually(lambda: national(reporting)["employed_peer_workers"] == 1)

        # After a restart of the registry, a second hiring is recorded and the first is not
        # recorded again: hirings are consumed in order, so the second one comes after any replay.
        registry.kill()
        registry.start()
        with httpx.Client(base_url=accompaniment.url, headers=STAFF) as client:
            second = client.post(f"/accompaniments/{accompaniment_id}/milestones", json={
                "milestone": "peer_worker_hired", "occurred_on": "2024-04-01",
                "new_peer_worker": {"departement": "69", "domains": ["violence"]},
            }).json()["peer_worker_id"]
        eventually(lambda: httpx.get(f"{registry.url}/peer-workers/{second}", headers=STAFF).status_code == 200)
        assert len(httpx.get(f"{registry.url}/peer-workers/{peer_worker_id}", headers=STAFF).json()["employments"]) == 1
        eventually(lambda: national(reporting)["employed_peer_workers"] == 2)
        assert national(reporting)["peer_workers"] == 2
        activity = httpx.get(f"{reporting.url}/stats/accompaniments/departments/38", params=EXACT, headers=ANALYST).json()
        assert (activity["opened"], activity["open"], activity["milestones"]["peer_worker_hired"]) == (1, 1, 1)

        # Corrections: the figures of the day, once the corrections crossed the bus, read as
        # if the mistaken follow-up and closure had never been recorded.
        def figures() -> dict:
            return httpx.get(f"{reporting.url}/stats/accompaniments/departments/38",
                             params={**EXACT, "as_of": "2024-06-01"}, headers=ANALYST).json()

        with httpx.Client(base_url=accompaniment.url, headers=STAFF) as client:
            for path, body in (
                ("milestones", {"milestone": "follow_up_meeting", "occurred_on": "2024-05-02"}),
                ("close", {"outcome": "hired", "closed_on": "2024-06-01"}),
            ):
                assert client.post(f"/accompaniments/{accompaniment_id}/{path}", json=body).is_success
            eventually(lambda: (figures()["open"], figures()["milestones"]["follow_up_meeting"]) == (0, 1))
            for path in ("reopen", "milestones/follow_up_meeting/retract"):
                response = client.post(f"/accompaniments/{accompaniment_id}/{path}", json={"reason": "Erreur de saisie"})
                assert response.status_code == 200, response.text
        eventually(lambda: (figures()["open"], figures()["milestones"]["follow_up_meeting"]) == (1, 0))
        assert figures()["closed_by_outcome"]["hired"] == 0
    finally:
        accompaniment.stop()


def test_a_hiring_recorded_by_mistake_is_retracted_in_the_accompaniment_and_put_right_everywhere(
    stack, nats_server, tmp_path, persistence
):
    registry, reporting = stack
    accompaniment = Service("accompaniment", nats_server.url, tmp_path, persistence).start()
    try:
        registry_api = httpx.Client(base_url=registry.url, headers=STAFF)
        accompaniment_api = httpx.Client(base_url=accompaniment.url, headers=STAFF)
        structure = registry_api.post("/structures", json={"name": "Relais", "departement": "38", "sector": "addiction"}).json()["id"]
        worker = registry_api.post("/peer-workers", json={
            "legal_basis": CONSENT_BODY, "display_name": "Anne", "departement": "38", "domains": ["addiction"], "registered_on": "2024-01-02",
        }).json()["id"]
        accompaniment_id = once_arrived(accompaniment_api, "/accompaniments", {
            "structure_id": structure, "departement": "38", "channel": "funder",
            "request": "Recruter un travailleur pair", "requested_on": "2024-01-10",
        }).json()["id"]
        assert accompaniment_api.post(f"/accompaniments/{accompaniment_id}/milestones", json={
            "milestone": "team_awareness", "occurred_on": "2024-02-01",
        }).status_code == 201

        def funnel() -> dict:
            return httpx.get(f"{reporting.url}/stats/accompaniments/departments/38",
                             params={**EXACT, "as_of": "2024-06-01"}, headers=ANALYST).json()["milestones"]

        def figures() -> tuple:
            census = national(reporting)
            return census["peer_workers"], census["employed_peer_workers"], funnel()

        # Given the figures before the hiring,
        eventually(lambda: funnel()["team_awareness"] == 1)
        before = figures()
        assert before[:2] == (1, 0) and before[2]["peer_worker_hired"] == 0

        # when a hiring is recorded, it is an employment in the registry and a hire in the funnel;
        hired = accompaniment_api.post(f"/accompaniments/{accompaniment_id}/milestones", json={
            "milestone": "peer_worker_hired", "occurred_on": "2024-03-01", "peer_worker_id": worker,
        })
        assert hired.status_code == 201, hired.text
        hiring_id = hired.json()["hiring_id"]
        eventually(lambda: registry_api.get(f"/peer-workers/{worker}").json()["employments"] != [])
        [employment] = registry_api.get(f"/peer-workers/{worker}").json()["employments"]
        assert (employment["id"], employment["accompaniment_id"]) == (hiring_id, accompaniment_id)
        eventually(lambda: figures()[1] == 1 and figures()[2]["peer_worker_hired"] == 1)

        # the registry refuses to cancel it on its own, pointing at the accompaniment;
        cancel = registry_api.post(f"/peer-workers/{worker}/employments/{hiring_id}/cancel", json={"reason": "Erreur"})
        assert cancel.status_code == 409, cancel.text
        assert f"POST /accompaniments/{accompaniment_id}/milestones/peer_worker_hired/retract" in cancel.json()["detail"]

        # then one retraction in the accompaniment puts it right everywhere.
        retracted = accompaniment_api.post(
            f"/accompaniments/{accompaniment_id}/milestones/peer_worker_hired/retract", json={"reason": "Mauvais dossier"}
        )
        assert retracted.status_code == 200, retracted.text
        eventually(lambda: registry_api.get(f"/peer-workers/{worker}").json()["employments"] == [])
        eventually(lambda: figures() == before)
        closed = accompaniment_api.post(f"/accompaniments/{accompaniment_id}/close", json={"outcome": "hired", "closed_on": "2024-06-01"})
        assert closed.status_code == 409, closed.text

        # Started again, the registry's consumer takes up from its position: a hiring
        # recorded afterwards is consumed after any replay, and is all that changes.
        version = registry_api.get(f"/peer-workers/{worker}").json()["version"]
        registry.kill()
        registry.start()
        registry_api.close()
        registry_api = httpx.Client(base_url=registry.url, headers=STAFF)
        again = accompaniment_api.post(f"/accompaniments/{accompaniment_id}/milestones", json={
            "milestone": "peer_worker_hired", "occurred_on": "2024-04-01", "peer_worker_id": worker,
        }).json()["hiring_id"]
        eventually(lambda: registry_api.get(f"/peer-workers/{worker}").json()["employments"] != [])
        record = registry_api.get(f"/peer-workers/{worker}").json()
        assert ([e["id"] for e in record["employments"]], record["version"]) == ([again], version + 1)
        registry_api.close()
        accompaniment_api.close()
    finally:
        accompaniment.stop()
