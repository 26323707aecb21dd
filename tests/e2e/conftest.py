import asyncio

import nats
import pytest

from peerwork_contracts import streams
from tests.e2e.services import Service
from tests.helpers import service_on_postgres


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
    # Each test gets its own stream history: the session's server is shared.
    async def reset() -> None:
        connection = await nats.connect(nats_server.url)
        js = connection.jetstream()
        for name in (streams.EVENTS.name, streams.DEAD_LETTERS.name):
            try:
                await js.delete_stream(name)
            except nats.js.errors.NotFoundError:
                pass
        await connection.close()

    asyncio.run(reset())
    registry = Service("registry", nats_server.url, tmp_path, persistence).start()
    reporting = Service("reporting", nats_server.url, tmp_path, persistence).start()
    yield registry, reporting
    registry.stop()
    reporting.stop()
