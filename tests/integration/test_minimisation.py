"""Minimisation on the bus: staff write names and free text about people into the write
services, and none of it reaches NATS; nor does who wrote it, which the audit keeps in the
stores. Every command goes through real HTTP, every event through the relays onto a real
JetStream; then each message on the stream is searched."""

import asyncio

import httpx
import pytest

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from tests.helpers import CONSENT_BODY, ServedApp, bearer, eventually, stream_messages

# What a person's record may hold in the write services, each a string found nowhere else.
PERSONAL = {
    "display name": "Aïcha Marker-7f3a Dupont",
    "request": "Elle sort de la rue, Marker-91c2 et souhaite travailler de nuit",
    "milestone note": "Marker-44d0 a parlé de son hospitalisation",
    "readiness reason": "Marker-0b6e l'équipe craint ses rechutes",
    "correction reason": "Marker-5d21 était absente, hospitalisée",
}

# Who acted, and in which request: stored with each event for the audit, never published.
SUBJECT = "Marker-5d1e"
REQUEST_ID = "Marker-c83b"
ACTING = {**bearer("staff", subject=SUBJECT), "X-Request-ID": REQUEST_ID}


@pytest.fixture
def nats(tmp_path):
    server = NatsServer(tmp_path / "nats", free_port()).start()
    yield server
    server.stop()


def post(api: httpx.Client, path: str, body: dict) -> dict:
    response = api.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


def record_everything(registry: httpx.Client, accompaniment: httpx.Client) -> None:
    """Every command that takes a name or free text, and the others around them."""
    structure = post(registry, "/structures", {"name": "Le Relais", "departement": "38", "sector": "addiction"})["id"]
    worker = post(registry, "/peer-workers", {
        "legal_basis": CONSENT_BODY,
        "display_name": PERSONAL["display name"], "departement": "38", "domains": ["addiction"],
        "registered_on": "2023-01-02",
    })["id"]
    employment = post(registry, f"/peer-workers/{worker}/employments", {
        "structure_id": structure, "starts_on": "2023-02-01",
    })["id"]
    post(registry, f"/peer-workers/{worker}/employments/{employment}/end", {"ends_on": "2023-06-30"})
    post(registry, f"/peer-workers/{worker}/move", {"departement": "69", "effective_on": "2023-07-01"})

    opened = post(accompaniment, "/accompaniments", {
        "structure_id": structure, "departement": "38", "channel": "structure",
        "request": PERSONAL["request"], "requested_on": "2023-01-15",
    })["id"]
    milestones = f"/accompaniments/{opened}/milestones"
    post(accompaniment, milestones, {
        "milestone": "team_awareness", "occurred_on": "2023-02-01", "note": PERSONAL["milestone note"],
    })
    post(accompaniment, milestones, {
        "milestone": "readiness_assessed", "occurred_on": "2023-02-15", "ready": False,
        "reason": PERSONAL["readiness reason"],
    })
    post(accompaniment, milestones, {
        "milestone": "peer_worker_hired", "occurred_on": "2023-03-01", "peer_worker_id": worker,
    })
    post(accompaniment, f"/accompaniments/{opened}/close", {"outcome": "hired", "closed_on": "2023-03-02"})

    session = post(accompaniment, "/training-sessions", {
        "title": "Rencontre des pairs", "kind": "collective_peer_meeting", "audience": "peer_workers",
        "departement": "38", "starts_on": "2023-05-02", "duration_hours": 3, "capacity": 3,
        "scheduled_on": "2023-04-01",
    })["id"]
    enrolment = post(accompaniment, f"/training-sessions/{session}/enrolments", {
        "peer_worker_id": worker, "enrolled_on": "2023-04-02",
    })["id"]
    post(accompaniment, f"/training-sessions/{session}/enrolments/{enrolment}/attendance", {
        "attended": 1, "recorded_on": "2023-05-03",
    })
    post(accompaniment, f"/training-sessions/{session}/complete", {"completed_on": "2023-05-03"})

    network = post(accompaniment, "/peer-networks", {
        "name": "Réseau des pairs", "scope": "departement", "departement": "38", "formed_on": "2023-01-02",
    })["id"]
    # The peer worker is checked against the registry's records, which cross the bus.
    held: list[httpx.Response] = []
    eventually(lambda: held.append(accompaniment.post(f"/peer-networks/{network}/meetings", json={
        "held_on": "2023-06-01", "kind": "exchange_of_practice", "hours": 2, "peer_worker_ids": [worker],
        "other_participants": 2,
    })) or held[-1].status_code != 422 or "Retry-After" not in held[-1].headers)
    assert held[-1].status_code == 201, held[-1].text
    meeting = held[-1].json()["id"]
    post(accompaniment, f"/peer-networks/{network}/meetings/{meeting}/correct", {
        "held_on": "2023-06-01", "kind": "exchange_of_practice", "hours": 2, "peer_worker_ids": [],
        "other_participants": 2, "reason": PERSONAL["correction reason"],
    })
    post(registry, f"/peer-workers/{worker}/withdraw", {"effective_on": "2023-12-31"})
    erased = registry.delete(f"/peer-workers/{worker}", headers={**ACTING, **bearer("admin", subject=SUBJECT)})
    assert erased.status_code == 204, erased.text


def test_no_name_or_free_text_about_a_person_reaches_the_bus(nats, tmp_path):
    registry = registry_app(RegistrySettings(sqlite_path=tmp_path / "r.sqlite", nats_url=nats.url))
    accompaniment = accompaniment_app(
        AccompanimentSettings(sqlite_path=tmp_path / "a.sqlite", nats_url=nats.url)
    )
    with (
        ServedApp(registry) as served_registry, ServedApp(accompaniment) as served_accompaniment,
        httpx.Client(base_url=served_registry.url, headers=ACTING) as registry_api,
        httpx.Client(base_url=served_accompaniment.url, headers=ACTING) as accompaniment_api,
    ):
        record_everything(registry_api, accompaniment_api)

        def everything_relayed() -> bool:
            return len(asyncio.run(stream_messages(nats.url))) >= 20

        eventually(everything_relayed, timeout=30)
        # The store does keep them: the test would prove nothing otherwise.
        stored = registry.state.registry.recorder.select_notifications(1, 1000)
        assert any(SUBJECT.encode() in event.state and REQUEST_ID.encode() in event.state for event in stored)

    messages = asyncio.run(stream_messages(nats.url))
    subjects = {message.subject.split(".")[2] + "." + message.subject.split(".")[3] for message in messages}
    assert subjects >= {
        "partner_structure.registered", "peer_worker.registered", "peer_worker.employment_recorded",
        "peer_worker.employment_ended", "peer_worker.moved", "peer_worker.withdrawn", "peer_worker.erased",
        "accompaniment.opened", "accompaniment.milestone_reached", "accompaniment.peer_worker_hired",
        "accompaniment.closed", "training_session.scheduled", "training_session.participant_enrolled",
        "training_session.attendance_recorded", "training_session.completed",
        "peer_network.formed", "peer_network.meeting_held", "peer_network.meeting_corrected",
    }, sorted(subjects)
    for message in messages:
        text = message.data.decode() + repr(message.headers)
        for what, value in {**PERSONAL, "token subject": SUBJECT, "request id": REQUEST_ID}.items():
            marker = next(word for word in value.split() if word.startswith("Marker-"))
            assert marker not in text, f"the {what} is on {message.subject}: {text}"
