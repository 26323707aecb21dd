"""A real nats-server and a registry on SQLite, for the relay's tests."""

import pytest

from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_registry.application import Registry


@pytest.fixture
def nats(tmp_path):
    server = NatsServer(tmp_path / "nats", free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def store(tmp_path):
    """The registry's SQLite file, for a relay process of its own to open too."""
    return tmp_path / "registry.sqlite"


@pytest.fixture
def registry(store):
    app = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(store)})
    yield app
    app.close()
