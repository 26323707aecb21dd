from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import nats
import pytest
from nats.js import JetStreamContext

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_reporting.bootstrap import bootstrap as reporting_app
from peerwork_reporting.config import Settings as ReportingSettings
from peerwork_reporting.ports import Location
from tests.helpers import ServedApp

from .statistics_locations import KINDS, locations


@pytest.fixture
def server(tmp_path: Path) -> Iterator[NatsServer]:
    """A nats-server of the test's own (the session's is ``nats_server``): what a test does
    to its streams and consumers, or to the server itself, touches no other test."""
    server = NatsServer(tmp_path / "nats", free_port()).start()
    yield server
    server.stop()


@pytest.fixture
async def js(server: NatsServer) -> AsyncIterator[JetStreamContext]:
    connection = await nats.connect(server.url)
    yield connection.jetstream()
    await connection.close()


@pytest.fixture(params=KINDS)
def statistics_location(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], Location]:
    """Names to statistics store locations, on SQLite then on PostgreSQL."""
    return locations(request, tmp_path)


@pytest.fixture(scope="module")
def served_services(tmp_path_factory):
    """Each service as its composition root builds it, on SQLite, served on real HTTP:
    ``{name: (app, url)}``."""
    data = tmp_path_factory.mktemp("services")
    apps = {
        "registry": registry_app(
            RegistrySettings(sqlite_path=data / "r.sqlite", relay_enabled=False, hirings_enabled=False)
        ),
        "accompaniment": accompaniment_app(
            AccompanimentSettings(sqlite_path=data / "a.sqlite", relay_enabled=False)
        ),
        "reporting": reporting_app(
            ReportingSettings(store_path=data / "s.sqlite", consumer_enabled=False, public_requests_per_minute=0)
        ),
    }
    with ServedApp(apps["registry"]) as registry, ServedApp(apps["accompaniment"]) as accompaniment:
        with ServedApp(apps["reporting"]) as reporting:
            urls = {"registry": registry.url, "accompaniment": accompaniment.url, "reporting": reporting.url}
            yield {name: (app, urls[name]) for name, app in apps.items()}
