"""The audit, through real HTTP on SQLite and PostgreSQL: every stored event carries who
stored it and in which request, every read of a person's record is logged, and admins (only)
read both at ``/audit``."""

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from peerwork_accompaniment.application import Accompaniments
from peerwork_contracts.accompaniment import PeerWorkerHired
from peerwork_registry.application import Registry
from peerwork_registry.hirings import Hirings
from tests.helpers import CONSENT_BODY, ServedApp, accompaniment_app, bearer, registry_app
from tests.integration.registry_events import known_structure

ADMIN = bearer("admin", subject="dpo")


def as_(subject: str, request_id: str) -> dict[str, str]:
    return {**bearer("staff", subject=subject), "X-Request-ID": request_id}


@pytest.fixture
def registry(store_env):
    registry = Registry(env=store_env)
    yield registry
    registry.close()


@pytest.fixture
def api(registry):
    with ServedApp(registry_app(registry)) as served, httpx.Client(base_url=served.url) as client:
        yield client


def register(api: httpx.Client, headers: dict[str, str]) -> str:
    body = {"legal_basis": CONSENT_BODY, "display_name": "Anne", "departement": "38", "domains": ["addiction"], "registered_on": "2022-01-03"}
    response = api.post("/peer-workers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_each_stored_event_carries_the_token_subject_and_the_request_id(api, registry):
    worker = register(api, as_("alice", "request-register"))
    moved = api.post(f"/peer-workers/{worker}/move", json={"departement": "69", "effective_on": "2023-01-02"},
                     headers=as_("bob", "request-move"))
    assert moved.status_code == 200, moved.text

    history = api.get(f"/audit/records/{worker}", headers=ADMIN)
    assert history.status_code == 200, history.text
    assert [(event["event"], event["by"], event["request_id"]) for event in history.json()] == [
        ("PeerWorker.Registered", "alice", "request-register"),
        ("PeerWorker.LegalBasisRecorded", "alice", "request-register"),  # who recorded the legal basis
        ("PeerWorker.Moved", "bob", "request-move"),
    ]
    # In the event store itself, and out of the aggregate's sight.
    stored = list(registry.recorder.select_events(uuid.UUID(worker)))
    assert b"alice" in stored[0].state and b"request-move" in stored[2].state
    peer_worker = registry.get_peer_worker(uuid.UUID(worker))
    assert peer_worker.departement == "69"
    assert not any("_provenance" in vars(event) for event, _ in registry.history(uuid.UUID(worker)))
    assert api.get(f"/audit/records/{uuid.uuid4()}", headers=ADMIN).status_code == 404


def test_a_read_of_a_peer_worker_is_logged_with_who_and_the_request_id(api):
    worker = register(api, as_("alice", "request-register"))
    other = register(api, as_("alice", "request-other"))
    assert api.get(f"/peer-workers/{worker}", headers=as_("bob", "request-read")).status_code == 200
    assert api.get(f"/peer-workers/{worker}/employments", headers=as_("carol", "request-list")).status_code == 200
    assert api.get(f"/peer-workers/{other}", headers=as_("carol", "request-other-read")).status_code == 200
    assert api.get(f"/peer-workers/{uuid.uuid4()}", headers=as_("bob", "request-unknown")).status_code == 404

    reads = api.get("/audit", params={"record_id": worker}, headers=ADMIN)
    assert reads.status_code == 200, reads.text
    assert [(read["subject"], read["request_id"], read["record_kind"]) for read in reads.json()] == [
        ("carol", "request-list", "peer worker"),  # newest first
        ("bob", "request-read", "peer worker"),
    ]
    assert len(api.get("/audit", headers=ADMIN).json()) == 3  # the unknown record was not read
    by_carol = api.get("/audit", params={"subject": "carol"}, headers=ADMIN).json()
    assert {read["record_id"] for read in by_carol} == {worker, other}
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert api.get("/audit", params={"since": future}, headers=ADMIN).json() == []
    page = api.get("/audit", params={"limit": 1}, headers=ADMIN).json()
    older = api.get("/audit", params={"limit": 5, "before": page[0]["id"]}, headers=ADMIN).json()
    assert len(page) == 1 and len(older) == 2
    assert api.get("/audit", params={"limit": 10_000}, headers=ADMIN).status_code == 422


def test_the_audit_is_for_admins_only(api):
    assert api.get("/audit").status_code == 401
    assert api.get("/audit", headers=bearer("staff")).status_code == 403
    assert api.get("/audit", headers=bearer("analyst")).status_code == 403
    assert api.get("/audit", headers=ADMIN).status_code == 200


def test_what_the_hirings_consumer_stores_carries_its_cause(registry):
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    newcomer = uuid.uuid4()
    hiring = PeerWorkerHired.build(
        source="accompaniment",
        occurred_at=date(2023, 3, 1),
        recorded_at=datetime(2023, 3, 1, tzinfo=UTC),
        position=1,
        aggregate_id=uuid.uuid4(),
        aggregate_version=3,
        payload={
            "structure_id": structure_id, "departement": "38", "hiring_id": uuid.uuid4(),
            "peer_worker_id": newcomer, "new_peer_worker": {"departement": "38", "domains": ["addiction"]},
            "starts_on": date(2023, 3, 1),
        },
    )
    assert Hirings(registry).apply([hiring], 1) == []
    causes = {(provenance.by, provenance.request_id, provenance.cause) for _, provenance in registry.history(newcomer)}
    assert causes == {("accompaniment", None, str(hiring.event_id))}


def test_a_read_of_an_accompaniment_is_logged_too(store_env):
    application = Accompaniments(env=store_env)
    try:
        with (
            ServedApp(accompaniment_app(application)) as served,
            httpx.Client(base_url=served.url) as api,
        ):
            opened = api.post("/accompaniments", headers=as_("alice", "request-open"), json={
                "structure_id": str(known_structure(application)), "departement": "38", "channel": "structure",
                "request": "Accueillir une travailleuse paire", "requested_on": "2023-01-15",
            }).json()["id"]
            assert api.get(f"/accompaniments/{opened}", headers=as_("bob", "request-read")).status_code == 200
            reads = api.get("/audit", headers=ADMIN).json()
            assert [(read["record_id"], read["subject"], read["request_id"]) for read in reads] == [
                (opened, "bob", "request-read")
            ]
            history = api.get(f"/audit/records/{opened}", headers=ADMIN).json()
            assert [(event["by"], event["request_id"]) for event in history] == [("alice", "request-open")]
    finally:
        application.close()


# A number is not a moment: pydantic alone took since=0.5 for half a second after 1970.
@pytest.mark.parametrize("service", ["registry", "accompaniment"])
@pytest.mark.parametrize("since", ["0.5", "0", "1700000000", "-1", "1e3"])
def test_the_audit_takes_no_number_for_a_moment(served_services, service, since):
    _, url = served_services[service]
    response = httpx.get(url + "/audit", params={"since": since}, headers=bearer("admin"))
    assert response.status_code == 422, response.text
    assert "YYYY-MM-DD" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("service", ["registry", "accompaniment"])
@pytest.mark.parametrize("since", ["2024-03-01", "2024-03-01T08:30:00Z", "2024-03-01T08:30:00+01:00"])
def test_the_audit_takes_a_moment_as_iso_8601(served_services, service, since):
    _, url = served_services[service]
    response = httpx.get(url + "/audit", params={"since": since}, headers=bearer("admin"))
    assert response.status_code == 200, response.text
