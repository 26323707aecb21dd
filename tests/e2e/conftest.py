import asyncio

import nats
import pytest

from peerwork_contracts import streams
from tests.e2e.services import Service


@pytest.fixture
def stack(nats_server, tmp_path):
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
    registry = Service("registry", nats_server.url, tmp_path).start()
    reporting = Service("reporting", nats_server.url, tmp_path).start()
    yield registry, reporting
    registry.stop()
    reporting.stop()
