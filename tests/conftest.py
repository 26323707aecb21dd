"""Real parts for the tests: a nats-server with JetStream and a PostgreSQL server, each
started on a free port (or socket) in a temporary directory."""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerwork_common.devtools.embedded_postgres import embedded_postgres
from peerwork_common.devtools.nats_server import NatsServer, free_port
from tests.helpers import AUTH_ENV, new_schema

# Every service the tests build or start verifies tokens with the tests' secret.
os.environ.update(AUTH_ENV)


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("nats"), free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_env() -> Iterator[dict[str, str]]:
    """eventsourcing settings for an embedded PostgreSQL server."""
    with embedded_postgres(Path(tempfile.mkdtemp(prefix="peerwork-pg-"))) as env:
        yield env


@pytest.fixture(params=["sqlite", "postgres"])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """eventsourcing settings for a fresh store: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "store.sqlite")}
    env = request.getfixturevalue("postgres_env")
    return {**env, "POSTGRES_SCHEMA": new_schema(env)}


@pytest.fixture(params=["sqlite", "postgres"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, object]:
    """A write service's ``Settings`` fields for a fresh store: a new SQLite file, or a new
    PostgreSQL schema."""
    if request.param == "sqlite":
        return {"sqlite_path": tmp_path / "store.sqlite"}
    env = request.getfixturevalue("postgres_env")
    return {
        "persistence": "postgres", "postgres_host": env["POSTGRES_HOST"], "postgres_port": int(env["POSTGRES_PORT"]),
        "postgres_dbname": "postgres", "postgres_schema": new_schema(env),
    }
