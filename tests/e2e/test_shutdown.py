"""Reporting stops within seconds of SIGTERM while it catches up on a long history at
start-up, with the statistics being read meanwhile. On its own nats-server: the history
is too long to share the session's."""

import asyncio
import random
import re
import signal
import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import nats
import pytest

from peerwork_common.nats import ensure_streams
from peerwork_common.nats_server import NatsServer, free_port
from peerwork_common.values import EARLIEST_EFFECTIVE_DATE
from peerwork_contracts import geography, streams
from peerwork_contracts import registry as events
from peerwork_contracts.calendar import today
from peerwork_contracts.vocabulary import InterventionDomain, Sector
from tests.e2e.services import ANALYST, END_OF_YEAR, EXACT, Service
from tests.helpers import eventually

BEFORE = 20_000  # what the store holds when it starts again
BACKLOG = 200_000  # what it catches up on then
STOPS_WITHIN = 30  # seconds: generous, the service is given 5 for the requests in flight


def history(first: int, count: int, rng: random.Random) -> list[events.Event]:
    """Registrations backdated over every year since the earliest effective date, all over
    France: many monthly totals for the store to bring up to date."""
    departements = list(geography.DEPARTEMENTS)
    days = (today() - EARLIEST_EFFECTIVE_DATE).days
    out = []
    for position in range(first, first + count):
        common = {
            "occurred_at": EARLIEST_EFFECTIVE_DATE + timedelta(days=rng.randrange(days)),
            "recorded_at": datetime(2026, 1, 1, tzinfo=UTC),
            "position": position,
            "aggregate_id": uuid.uuid4(),
            "aggregate_version": 1,
        }
        departement = rng.choice(departements)
        if position % 5:
            domains = rng.sample(list(InterventionDomain), 2)
            out.append(events.PeerWorkerRegistered.build(**common, payload={"departement": departement, "domains": domains}))
        else:
            payload = {"name": "S", "siret": None, "departement": departement, "sector": rng.choice(list(Sector))}
            out.append(events.PartnerStructureRegistered.build(**common, payload=payload))
    return out


async def publish(url: str, history: list[events.Event]) -> None:
    connection = await nats.connect(url)
    try:
        js = connection.jetstream()
        await ensure_streams(js)
        for index, event in enumerate(history):  # core publishes, flushed in blocks: fast
            await connection.publish(event.subject(), event.model_dump_json().encode())
            if index % 5000 == 4999:
                await connection.flush()
        await connection.flush()
        last = history[-1].position
        while (await js.stream_info(streams.EVENTS.name)).state.messages < last:
            await asyncio.sleep(0.1)
    finally:
        await connection.close()


def position(reporting: Service) -> int:
    metrics = httpx.get(f"{reporting.url}/metrics", timeout=10).text
    found = re.search(r'^peerwork_consumer_position\{consumer="reporting"\} (\S+)$', metrics, re.M)
    return int(float(found.group(1))) if found else 0


@pytest.fixture
def nats_of_its_own(tmp_path):
    server = NatsServer(tmp_path / "nats", free_port()).start()
    yield server
    server.stop()


def test_sigterm_during_the_catch_up_at_start_up_stops_it_within_seconds(nats_of_its_own, tmp_path):
    rng = random.Random(12)
    asyncio.run(publish(nats_of_its_own.url, history(1, BEFORE, rng)))
    reporting = Service("reporting", nats_of_its_own.url, tmp_path).start()
    eventually(lambda: position(reporting) == BEFORE, timeout=120)
    reporting.stop()
    asyncio.run(publish(nats_of_its_own.url, history(BEFORE + 1, BACKLOG, rng)))

    reporting.start()
    reading = threading.Event()
    reading.set()

    def read(path: str) -> None:  # the costliest reads (exact, any day), while it catches up
        with httpx.Client(base_url=reporting.url, timeout=300) as client:
            while reading.is_set():
                try:
                    client.get(path, params={"as_of": END_OF_YEAR, **EXACT}, headers=ANALYST)
                except httpx.HTTPError:
                    return  # stopped
    readers = [
        threading.Thread(target=read, args=(path,), daemon=True)
        for path in ("/stats/series", "/stats/series", f"/reports/annual/{today().year}", "/stats/national")
    ]
    try:
        for reader in readers:
            reader.start()
        eventually(lambda: position(reporting) > BEFORE, timeout=120)
        assert position(reporting) < BEFORE + BACKLOG, "caught up already: make the backlog longer"
        reporting.process.send_signal(signal.SIGTERM)
        reporting.process.wait(timeout=STOPS_WITHIN)
    finally:
        reading.clear()
        if reporting.process.poll() is None:
            reporting.kill()
