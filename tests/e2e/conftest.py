import pytest

from tests.e2e.services import Service
from tests.helpers import reset_streams, service_on_postgres


@pytest.fixture(params=["sqlite", "postgres"])
def persistence(request) -> dict[str, str]:
    """Where the services keep their data: SQLite files (the default), or each a new schema
    of its own on PostgreSQL, as in production."""
    if request.param == "sqlite":
        return {}
    postgres = request.getfixturevalue("postgres_env")
    return {
        setting: value
        for service in ("registry", "accompaniment", "reporting")
        for setting, value in service_on_postgres(service, postgres).items()
    }


@pytest.fixture
def stack(nats_server, tmp_path, persistence):
    reset_streams(nats_server.url)  # each test its own stream history
    registry = Service("registry", nats_server.url, tmp_path, persistence).start()
    reporting = Service("reporting", nats_server.url, tmp_path, persistence).start()
    yield registry, reporting
    registry.stop()
    reporting.stop()
