"""References that hold, over a real bus: the accompaniment refuses a structure the registry
did not register with a 422 that says whether it is unknown (its view of the registry is
caught up with the stream), not arrived yet (the view lags: retry), or whether it cannot
tell (NATS out of reach). The registry and the accompaniment come from their composition
roots, on SQLite and PostgreSQL, served on real HTTP."""

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from uuid import UUID, uuid4

import httpx
import pytest

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from tests.helpers import ServedApp, bearer, eventually, service_on_postgres

STAFF = bearer("staff")


@pytest.fixture
def nats(tmp_path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats", free_port()).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def services(request, nats, tmp_path, monkeypatch):
    """(registry URL, accompaniment URL, the accompaniment's app), the accompaniment's view
    of the registry attached to the stream."""
    if request.param == "postgres":
        for name, value in service_on_postgres("accompaniment", request.getfixturevalue("postgres_env")).items():
            monkeypatch.setenv(name, value)
    registry = registry_app(RegistrySettings(sqlite_path=tmp_path / "r.sqlite", nats_url=nats.url, hirings_enabled=False))
    accompaniment = accompaniment_app(
        AccompanimentSettings(sqlite_path=tmp_path / "a.sqlite", nats_url=nats.url, relay_enabled=False)
    )
    with ServedApp(registry) as served_registry, ServedApp(accompaniment) as served_accompaniment:
        eventually(lambda: consumer_of(accompaniment).attached)
        yield served_registry.url, served_accompaniment.url, accompaniment


def consumer_of(app) -> DurableConsumer:  # noqa: ANN001
    return app.state.registry_references.consumer


def lag(app) -> int:  # noqa: ANN001
    consumer = consumer_of(app)
    return consumer.run_in_loop(consumer.pending(5)).result(10)


def register_structure(registry_url: str) -> UUID:
    response = httpx.post(f"{registry_url}/structures", headers=STAFF, json={
        "name": f"Relais {uuid4().hex[:8]}", "departement": "38", "sector": "shelter_housing",
        "effective_on": "2020-01-02",
    })
    assert response.status_code == 201, response.text
    return UUID(response.json()["id"])


def arrived(app, structure_id: UUID) -> bool:  # noqa: ANN001
    return app.state.registry_records.get(structure_id) is not None


def open_for(accompaniment_url: str, structure_id: UUID, **headers: str) -> httpx.Response:
    return httpx.post(f"{accompaniment_url}/accompaniments", headers={**STAFF, **headers}, json={
        "structure_id": str(structure_id), "departement": "38", "channel": "structure",
        "request": "Accueillir un travailleur pair", "requested_on": "2023-01-15",
    })


@contextmanager
def held_back(consumer: DurableConsumer) -> Iterator[None]:
    """No batch of the registry's events is applied in this context: the view lags."""
    holding, released = threading.Event(), threading.Event()

    async def hold() -> None:
        async with consumer.paused():
            holding.set()
            await asyncio.to_thread(released.wait)

    done = consumer.run_in_loop(hold())
    assert holding.wait(10)
    try:
        yield
    finally:
        released.set()
        done.result(10)


def stored(app) -> int:  # noqa: ANN001
    return app.state.accompaniments.recorder.max_notification_id() or 0


def test_a_structure_the_registry_registered_is_accepted_once_it_arrived(services):
    registry_url, accompaniment_url, app = services
    structure_id = register_structure(registry_url)
    eventually(lambda: arrived(app, structure_id))
    assert open_for(accompaniment_url, structure_id).status_code == 201


def test_a_structure_unknown_to_the_registry_is_refused_as_unknown(services):
    registry_url, accompaniment_url, app = services
    registered = register_structure(registry_url)
    eventually(lambda: arrived(app, registered))  # the view caught up
    unknown = uuid4()
    refused = open_for(accompaniment_url, unknown)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"].startswith(f"partner structure {unknown} is unknown")
    assert "Retry-After" not in refused.headers
    assert stored(app) == 0


def test_a_structure_not_arrived_yet_is_refused_with_a_retry_after_then_accepted(services):
    registry_url, accompaniment_url, app = services
    retried = {"Idempotency-Key": "open-once"}
    with held_back(consumer_of(app)):
        structure_id = register_structure(registry_url)
        eventually(lambda: lag(app) > 0)
        refused = open_for(accompaniment_url, structure_id, **retried)
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"].startswith(f"partner structure {structure_id} has not arrived here yet")
        assert refused.headers["Retry-After"] == "2"
        assert stored(app) == 0
    eventually(lambda: arrived(app, structure_id))
    assert open_for(accompaniment_url, structure_id, **retried).status_code == 201


def test_without_the_bus_a_structure_not_known_here_cannot_be_told_but_a_known_one_is_accepted(services, nats):
    registry_url, accompaniment_url, app = services
    known = register_structure(registry_url)
    eventually(lambda: arrived(app, known))
    nats.stop()
    eventually(lambda: not consumer_of(app).connected)
    refused = open_for(accompaniment_url, uuid4())
    assert refused.status_code == 422, refused.text
    assert "cannot tell" in refused.json()["detail"] and "out of its reach" in refused.json()["detail"]
    assert refused.headers["Retry-After"] == "2"
    assert open_for(accompaniment_url, known).status_code == 201


def test_a_hiring_at_a_structure_the_registry_does_not_know_is_refused(services):
    registry_url, accompaniment_url, app = services
    registered = register_structure(registry_url)
    eventually(lambda: arrived(app, registered))
    # Opened before structures were checked.
    unknown = uuid4()
    accompaniment_id = app.state.accompaniments.open_accompaniment(unknown, "38", "structure", "Une demande", date(2023, 1, 15))
    before = stored(app)
    refused = httpx.post(f"{accompaniment_url}/accompaniments/{accompaniment_id}/milestones", headers=STAFF, json={
        "milestone": "peer_worker_hired", "occurred_on": "2023-06-01", "peer_worker_id": str(uuid4()),
    })
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"].startswith(f"partner structure {unknown} is unknown")
    assert stored(app) == before
