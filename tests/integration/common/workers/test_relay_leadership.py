"""Two replicas of the registry on one store: one relays and consumes the hirings, the other
takes over when it dies. On PostgreSQL the relay wakes on events another replica saved,
without polling for them."""

import asyncio

import httpx
import pytest

from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_contracts import streams
from tests.e2e.services import STAFF, Service
from tests.helpers import CONSENT_BODY, eventually, service_on_postgres, stream_messages

RELAYS = "relay registry: this replica leads"
CONSUMES = "consumer registry-hirings: this replica leads"
WAITS = "waiting to take over"


@pytest.fixture
def nats(tmp_path):
    server = NatsServer(tmp_path / "nats", free_port()).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path) -> dict[str, str]:
    """The registry's settings for a store both replicas share."""
    if request.param == "sqlite":
        return {"REGISTRY_SQLITE_PATH": str(tmp_path / "shared-registry.sqlite")}
    return service_on_postgres("registry", request.getfixturevalue("postgres_env"))


def replica(name: str, nats: NatsServer, tmp_path, store: dict[str, str]) -> Service:
    data = tmp_path / name
    data.mkdir()
    service = Service("registry", nats.url, data)
    service.env.update(store)
    return service.start()


def logged(service: Service, text: str) -> bool:
    return text in service.log.read_text()


def register(service: Service, count: int) -> None:
    for i in range(count):
        response = httpx.post(
            f"{service.url}/peer-workers",
            json={"legal_basis": CONSENT_BODY, "display_name": f"P{i}", "departement": "38", "domains": ["addiction"]},
            headers=STAFF,
        )
        assert response.status_code == 201, response.text


# The positions of ten registrations: each one's legal basis, stored after it, stays in the
# registry (a gap in the positions).
REGISTRATIONS = list(range(1, 20, 2))


def positions_on_stream(nats: NatsServer) -> list[int]:
    messages = asyncio.run(stream_messages(nats.url))
    return [int(message.headers[streams.POSITION_HEADER]) for message in messages]


def test_one_replica_relays_and_another_takes_over_when_it_dies(nats, tmp_path, store):
    first = replica("first", nats, tmp_path, store)
    eventually(lambda: logged(first, RELAYS))
    second = replica("second", nats, tmp_path, store)
    try:
        eventually(lambda: logged(second, WAITS))

        # Saved by the second replica, relayed by the first: on PostgreSQL its relay polls
        # only every 30 s, so seeing them within 10 s means the NOTIFY woke it.
        register(second, 5)
        eventually(lambda: positions_on_stream(nats) == REGISTRATIONS[:5], timeout=10)
        assert logged(first, CONSUMES)
        assert not logged(second, RELAYS) and not logged(second, CONSUMES)

        first.kill()
        eventually(lambda: logged(second, RELAYS) and logged(second, CONSUMES))
        register(second, 5)
        eventually(lambda: positions_on_stream(nats) == REGISTRATIONS)
    finally:
        first.stop()
        second.stop()
