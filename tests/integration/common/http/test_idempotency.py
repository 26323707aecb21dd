"""Idempotent commands through real HTTP, on SQLite and PostgreSQL: a write retried with the
same ``Idempotency-Key`` gets the first answer back and stores nothing twice."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from eventsourcing.sqlite import SQLiteDatastore

from peerwork_accompaniment.application import Accompaniments
from peerwork_common.eventstore.datastores import datastore_of, table
from peerwork_common.eventstore.schema_migrations import RECORD, migrate
from peerwork_registry.application import Registry
from tests.helpers import CONSENT_BODY, ServedApp, accompaniment_app, bearer, eventually, registry_app
from tests.integration.registry_events import known_structure

ANNE = {
    "legal_basis": CONSENT_BODY,
    "display_name": "Anne",
    "departement": "38",
    "domains": ["addiction"],
    "registered_on": "2022-01-03",
}
MOVE = {"departement": "69", "effective_on": "2023-01-02"}


@pytest.fixture
def registry(store_env):
    registry = Registry(env=store_env)
    yield registry
    registry.close()


def served(app):  # noqa: ANN001, ANN201
    with ServedApp(app) as server:
        with httpx.Client(base_url=server.url, headers=bearer("staff")) as client:
            yield client


@pytest.fixture
def app(registry):
    return registry_app(registry)


@pytest.fixture
def api(app):
    yield from served(app)


def stored(application) -> int:  # noqa: ANN001
    """Events stored, but a registration's legal basis, stored with it: one per command."""
    last = application.recorder.max_notification_id() or 0
    notifications = application.recorder.select_notifications(1, last) if last else []
    return sum(not n.topic.endswith("PeerWorker.LegalBasisRecorded") for n in notifications)


def keyed(key: str, subject: str = "tester") -> dict[str, str]:
    return {**bearer("staff", subject=subject), "Idempotency-Key": key}


def kept_keys(app) -> list[str]:  # noqa: ANN001
    requests = app.state.idempotency
    with requests._datastore.transaction(commit=False) as cursor:
        cursor.execute(f"SELECT key FROM {requests._table} ORDER BY key")
        return [dict(row)["key"] for row in cursor.fetchall()]


def test_a_retried_registration_gets_the_first_answer_and_stores_one_event(api, registry):
    first = api.post("/peer-workers", json=ANNE, headers=keyed("register-anne"))
    again = api.post("/peer-workers", json=ANNE, headers=keyed("register-anne"))
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert "Idempotency-Replayed" not in first.headers
    assert again.headers["content-type"] == "application/json"
    assert stored(registry) == 1
    # Without a key, the same request is another command.
    assert api.post("/peer-workers", json=ANNE).json() != first.json()
    assert stored(registry) == 2


def test_a_retried_command_on_a_record_is_replayed(api, registry):
    worker = api.post("/peer-workers", json=ANNE).json()["id"]
    first = api.post(f"/peer-workers/{worker}/move", json=MOVE, headers=keyed("move-1"))
    again = api.post(f"/peer-workers/{worker}/move", json=MOVE, headers=keyed("move-1"))
    assert first.status_code == again.status_code == 200, again.text
    assert again.json() == first.json() and first.json()["departement"] == "69"
    assert again.headers["Idempotency-Replayed"] == "true"
    assert stored(registry) == 2  # registered, moved once


def test_a_key_used_for_another_request_is_422_and_stores_nothing(api, registry):
    assert api.post("/peer-workers", json=ANNE, headers=keyed("k")).status_code == 201
    response = api.post("/peer-workers", json={**ANNE, "display_name": "Bea"}, headers=keyed("k"))
    assert response.status_code == 422
    assert "use a new key for each new request" in response.json()["detail"]
    worker = api.post("/peer-workers", json=ANNE).json()["id"]
    moved = api.post(f"/peer-workers/{worker}/move", json=MOVE, headers=keyed("k"))
    assert moved.status_code == 422
    assert stored(registry) == 2
    assert registry.get_peer_worker(uuid.UUID(worker)).departement == "38"


def test_keys_are_each_caller_s_own(api, registry):
    alice = api.post("/peer-workers", json=ANNE, headers=keyed("same", subject="alice"))
    bob = api.post("/peer-workers", json=ANNE, headers=keyed("same", subject="bob"))
    assert alice.status_code == bob.status_code == 201
    assert alice.json()["id"] != bob.json()["id"] and "Idempotency-Replayed" not in bob.headers
    assert stored(registry) == 2


def test_a_refused_command_is_replayed_as_refused(api, registry):
    worker = api.post("/peer-workers", json=ANNE).json()["id"]
    withdrawn = api.post(f"/peer-workers/{worker}/withdraw", json={"effective_on": "2023-01-02"})
    assert withdrawn.status_code == 200
    first = api.post(f"/peer-workers/{worker}/move", json=MOVE, headers=keyed("late-move"))
    again = api.post(f"/peer-workers/{worker}/move", json=MOVE, headers=keyed("late-move"))
    assert first.status_code == again.status_code == 409
    assert again.json() == first.json() and again.headers["Idempotency-Replayed"] == "true"
    assert stored(registry) == 2


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, b"caf\xc3\xa9"])
def test_a_malformed_key_is_400_and_stores_nothing(api, registry, key):
    response = api.post("/peer-workers", json=ANNE, headers=keyed(key))
    assert response.status_code == 400
    assert "Idempotency-Key header must be 1 to 255 visible ASCII" in response.json()["detail"]
    assert stored(registry) == 0


def test_without_a_valid_token_the_route_answers_401(api, registry):
    # Not even a malformed key is looked at before the token.
    for key in ("k", ""):
        headers = {"Idempotency-Key": key}
        response = httpx.post(api.base_url.join("/peer-workers"), json=ANNE, headers=headers)
        assert response.status_code == 401, response.text
        headers = {**headers, "Authorization": "Bearer nonsense"}
        response = httpx.post(api.base_url.join("/peer-workers"), json=ANNE, headers=headers)
        assert response.status_code == 401, response.text
    assert stored(registry) == 0


def test_the_token_is_verified_once_a_request(api, app, monkeypatch):
    verifier = app.state.verifier
    calls = []
    identify = verifier.identify
    monkeypatch.setattr(verifier, "identify", lambda token: calls.append(token) or identify(token))
    assert api.post("/peer-workers", json=ANNE, headers=keyed("once")).status_code == 201
    assert len(calls) == 1


def test_requests_racing_with_one_key_store_once(api, registry):
    def register(_: int) -> httpx.Response:
        return httpx.post(api.base_url.join("/peer-workers"), json=ANNE, headers=keyed("raced"))

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(register, range(8)))
    assert {response.status_code for response in responses} <= {201, 409}
    created = {response.json()["id"] for response in responses if response.status_code == 201}
    assert len(created) == 1
    for response in responses:
        if response.status_code == 409:
            assert "in progress" in response.json()["detail"]
    assert stored(registry) == 1


def test_a_failed_command_runs_again_when_retried(api, registry, monkeypatch):
    register = registry.register_peer_worker
    monkeypatch.setattr(registry, "register_peer_worker", lambda *args: 1 / 0)
    assert api.post("/peer-workers", json=ANNE, headers=keyed("retry-me")).status_code == 500
    monkeypatch.setattr(registry, "register_peer_worker", register)
    # On a new connection: uvicorn closes the one a 500 went through.
    again = httpx.post(api.base_url.join("/peer-workers"), json=ANNE, headers=keyed("retry-me"))
    assert again.status_code == 201 and "Idempotency-Replayed" not in again.headers
    assert stored(registry) == 1


def test_an_answer_lost_after_the_events_were_committed_is_replayed(
    api, app, registry, monkeypatch
):
    def lost(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(app.state.idempotency, "complete", lost)
    first = api.post("/peer-workers", json=ANNE, headers=keyed("lost"))
    assert first.status_code == 201  # the command took effect: its answer is still given
    again = api.post("/peer-workers", json=ANNE, headers=keyed("lost"))
    assert again.status_code == 201, again.text
    assert again.json() == first.json() and again.headers["Idempotency-Replayed"] == "true"
    assert stored(registry) == 1


def test_a_creation_cut_short_after_its_commit_is_replayed_with_its_id(api, registry, monkeypatch):
    register = registry.register_peer_worker

    def cut_short(*args: object) -> None:  # the events are committed, the answer never made
        register(*args)
        raise ConnectionError("the process died here")

    monkeypatch.setattr(registry, "register_peer_worker", cut_short)
    assert api.post("/peer-workers", json=ANNE, headers=keyed("cut")).status_code == 500
    monkeypatch.setattr(registry, "register_peer_worker", register)
    again = httpx.post(api.base_url.join("/peer-workers"), json=ANNE, headers=keyed("cut"))
    assert again.status_code == 201, again.text
    assert again.headers["Idempotency-Replayed"] == "true"
    assert stored(registry) == 1
    assert registry.get_peer_worker(uuid.UUID(again.json()["id"])).display_name == "Anne"


def test_a_command_on_a_record_cut_short_after_its_commit_says_it_took_effect(
    api, registry, monkeypatch
):
    worker = api.post("/peer-workers", json=ANNE).json()["id"]
    move = registry.move_peer_worker

    def cut_short(*args: object) -> None:
        move(*args)
        raise ConnectionError("the process died here")

    monkeypatch.setattr(registry, "move_peer_worker", cut_short)
    url = f"/peer-workers/{worker}/move"
    assert api.post(url, json=MOVE, headers=keyed("m")).status_code == 500
    monkeypatch.setattr(registry, "move_peer_worker", move)
    again = httpx.post(api.base_url.join(url), json=MOVE, headers=keyed("m"))
    assert again.status_code == 409, again.text
    assert "took effect, but its answer was lost: read the record" in again.json()["detail"]
    assert stored(registry) == 2  # registered, moved once


def test_a_command_cut_short_before_its_commit_runs_as_new_once_its_lease_passed(
    api, app, registry, monkeypatch
):
    requests = app.state.idempotency
    monkeypatch.setattr(requests, "_lease", 0.5, raising=False)
    monkeypatch.setattr(requests, "release", lambda *claim: None)  # killed: nothing released
    register = registry.register_peer_worker
    monkeypatch.setattr(registry, "register_peer_worker", lambda *args: 1 / 0)
    assert api.post("/peer-workers", json=ANNE, headers=keyed("killed")).status_code == 500
    monkeypatch.setattr(registry, "register_peer_worker", register)
    retries = []

    def retried() -> bool:
        retry = httpx.post(api.base_url.join("/peer-workers"), json=ANNE, headers=keyed("killed"))
        retries.append(retry)
        return retry.status_code != 409

    eventually(retried, timeout=10)
    assert "in progress" in retries[0].json()["detail"]  # within the lease: maybe still running
    assert retries[-1].status_code == 201 and "Idempotency-Replayed" not in retries[-1].headers
    assert stored(registry) == 1


def test_a_request_overtaken_by_its_retry_stores_nothing(api, app, registry, monkeypatch):
    monkeypatch.setattr(app.state.idempotency, "_lease", 0.5, raising=False)
    register, inside, go_on = registry.register_peer_worker, threading.Event(), threading.Event()

    def slow(*args: object) -> uuid.UUID:
        if not inside.is_set():  # the first request waits past its lease
            inside.set()
            go_on.wait(timeout=20)
        return register(*args)

    monkeypatch.setattr(registry, "register_peer_worker", slow)
    url = api.base_url.join("/peer-workers")
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(httpx.post, url, json=ANNE, headers=keyed("slow"), timeout=30)
        inside.wait(timeout=10)
        retries = []
        eventually(lambda: retries.append(httpx.post(url, json=ANNE, headers=keyed("slow")))
                   or retries[-1].status_code != 409, timeout=10)
        go_on.set()
        overtaken = first.result()
    assert retries[-1].status_code == 201, retries[-1].text
    assert overtaken.status_code == 409
    assert "a retry with the same Idempotency-Key took it over" in overtaken.json()["detail"]
    assert stored(registry) == 1


def test_a_replay_is_only_for_a_caller_who_may_make_the_request_now(api, registry):
    worker = api.post("/peer-workers", json=ANNE).json()["id"]
    url = f"/peer-workers/{worker}/move"
    first = api.post(url, json=MOVE, headers=keyed("move-alice", subject="alice"))
    assert first.status_code == 200 and first.json()["display_name"] == "Anne"
    for token in (
        bearer("analyst", subject="alice"),
        bearer("staff", subject="alice", departements=["38"]),
    ):
        with_key = api.post(url, json=MOVE, headers={**token, "Idempotency-Key": "move-alice"})
        without = api.post(url, json=MOVE, headers=token)
        assert with_key.status_code == without.status_code, with_key.text
        assert with_key.status_code in (403, 404) and with_key.json() == without.json()
        assert "Anne" not in with_key.text and "Idempotency-Replayed" not in with_key.headers
    again = api.post(url, json=MOVE, headers=keyed("move-alice", subject="alice"))
    assert again.json() == first.json() and again.headers["Idempotency-Replayed"] == "true"
    assert stored(registry) == 2  # registered, moved once


def test_what_no_route_takes_or_finds_is_not_kept(api, app, registry):
    assert api.post("/peer-workers", json=ANNE, headers=keyed("used")).status_code == 201
    unknown = f"/peer-workers/{uuid.uuid4()}"
    # No route takes a POST there, or anything at all there: the key is not looked at.
    assert api.post(unknown, json=MOVE, headers=keyed("used")).status_code == 405
    assert api.post("/nowhere", json=MOVE, headers=keyed("used")).status_code == 404
    missing = api.post(f"{unknown}/move", json=MOVE, headers=keyed("not-found"))
    assert missing.status_code == 404
    assert kept_keys(app) == ["used"]
    assert stored(registry) == 1


def test_an_expired_key_runs_as_new_and_expired_rows_are_purged(registry):
    app = registry_app(registry, idempotency_ttl_hours=1 / 3600)
    for api in served(app):
        first = api.post("/peer-workers", json=ANNE, headers=keyed("old"))
        assert api.post("/peer-workers", json=ANNE, headers=keyed("old")).json() == first.json()
        time.sleep(1.2)
        assert api.post("/peer-workers", json=ANNE, headers=keyed("other")).status_code == 201
        assert kept_keys(app) == ["other"]
        again = api.post("/peer-workers", json=ANNE, headers=keyed("old"))
        assert again.status_code == 201 and again.json() != first.json()
        assert stored(registry) == 3


def test_forget_removes_the_requests_about_a_record(api, app, registry):
    worker = api.post("/peer-workers", json=ANNE, headers=keyed("create")).json()["id"]
    other = api.post("/peer-workers", json=ANNE, headers=keyed("create-other")).json()["id"]
    moved = api.post(f"/peer-workers/{worker}/move", json=MOVE, headers=keyed("move"))
    assert moved.status_code == 200
    assert kept_keys(app) == ["create", "create-other", "move"]
    app.state.idempotency.forget(uuid.UUID(worker))
    assert kept_keys(app) == ["create-other"]
    assert api.post("/peer-workers", json=ANNE, headers=keyed("create-other")).json()["id"] == other


def test_an_accompaniment_command_is_idempotent_too(store_env):
    application = Accompaniments(env=store_env)
    body = {"structure_id": str(known_structure(application)), "departement": "38", "channel": "structure",
            "request": "Accueillir une travailleuse paire", "requested_on": "2023-01-15"}
    try:
        for api in served(accompaniment_app(application)):
            first = api.post("/accompaniments", json=body, headers=keyed("open"))
            again = api.post("/accompaniments", json=body, headers=keyed("open"))
            assert first.status_code == again.status_code == 201, again.text
            assert again.json() == first.json() and again.headers["Idempotency-Replayed"] == "true"
            assert stored(application) == 1
    finally:
        application.close()


def test_a_table_made_by_the_first_release_is_completed(registry):
    # The first release's table, without the claim's columns, and no migration recorded yet.
    datastore = datastore_of(registry)
    blob = "BLOB" if isinstance(datastore, SQLiteDatastore) else "BYTEA"
    with datastore.transaction(commit=True) as cursor:
        cursor.execute(f"DROP TABLE {table(datastore, 'idempotent_requests')}")
        cursor.execute(f"CREATE TABLE {table(datastore, 'idempotent_requests')} ("
                       "subject TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                       "created_at REAL NOT NULL, resource TEXT, status INTEGER, headers TEXT, "
                       f"body {blob}, PRIMARY KEY (subject, key))")
        cursor.execute(f"DELETE FROM {table(datastore, RECORD)}")
    assert migrate(datastore) == ["common_0001_baseline"]
    for api in served(registry_app(registry)):
        first = api.post("/peer-workers", json=ANNE, headers=keyed("after-upgrade"))
        again = api.post("/peer-workers", json=ANNE, headers=keyed("after-upgrade"))
        assert first.status_code == again.status_code == 201, again.text
        assert again.headers["Idempotency-Replayed"] == "true"


def test_the_header_is_documented_on_every_write_route(api):
    document = api.get("/openapi.json").json()
    paths = document["paths"].values()
    writes = [op for path in paths for method, op in path.items() if method in ("post", "delete")]
    assert writes
    for operation in writes:
        header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
        assert (header["in"], header["required"]) == ("header", False)
        assert header["schema"]["maxLength"] == 255
        assert {"400", "409", "422"} <= operation["responses"].keys()
