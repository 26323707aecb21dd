"""Reporting stops within seconds of SIGTERM: a request that does not end by itself is
given the grace of ``serve`` and then cancelled, and a catch-up under way is interrupted
rather than waited out."""

import asyncio
import random
import re
import signal
import socket
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import nats
import pytest

from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_common.domain.values import EARLIEST_EFFECTIVE_DATE
from peerwork_common.http.serve import GRACEFUL_SHUTDOWN_SECONDS
from peerwork_common.messaging.nats import ensure_streams
from peerwork_contracts import geography, streams
from peerwork_contracts import registry as events
from peerwork_contracts.calendar import today
from peerwork_contracts.vocabulary import InterventionDomain
from peerwork_reporting.storage.store import StatisticsStore
from tests.e2e.services import Service
from tests.helpers import eventually

# From the end of the grace to the process's exit: cancelling the request, the lifespan's
# shutdown, the interpreter's. Measured under a second; the rest is for a loaded machine.
EXIT_MARGIN = 3
# As short as leaves the catch-up still running once the stop is done (see the test).
BACKLOG = 20_000


def hold_a_request(reporting: Service) -> socket.socket:
    """A POST whose body never finishes arriving. Every POST's JSON body is read before it
    is routed (``peerwork_common.http.json_bodies``), so the service waits for the rest for as
    long as the client keeps the connection open: without a grace, uvicorn would wait
    with it for ever."""
    connection = socket.create_connection(("127.0.0.1", reporting.port))
    connection.sendall(
        b"POST /operations/rebuild HTTP/1.1\r\nHost: reporting\r\n"
        b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{"
    )
    connection.settimeout(1)
    try:
        answer = connection.recv(1024)
    except TimeoutError:
        return connection
    connection.close()
    raise AssertionError(f"the request was answered, not held: {answer!r}")


def test_sigterm_gives_a_request_in_flight_the_grace_then_stops(nats_server, tmp_path):
    reporting = Service("reporting", nats_server.url, tmp_path).start()
    held = hold_a_request(reporting)
    try:
        signalled = time.monotonic()
        reporting.process.send_signal(signal.SIGTERM)
        try:
            reporting.process.wait(timeout=GRACEFUL_SHUTDOWN_SECONDS + EXIT_MARGIN)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {GRACEFUL_SHUTDOWN_SECONDS + EXIT_MARGIN}s after SIGTERM, waiting for the request")
        took = time.monotonic() - signalled
        # Requests in flight are let finish first: the held one was, up to the grace.
        assert took >= GRACEFUL_SHUTDOWN_SECONDS - 0.5, f"stopped after {took:.1f}s, before the grace ran out"
    finally:
        held.close()
        if reporting.process.poll() is None:
            reporting.kill()


def registrations(count: int, rng: random.Random) -> list[events.Event]:
    """Peer workers registered on days over every year since the earliest effective date,
    all over France: many monthly totals for the store to bring up to date."""
    departements = list(geography.DEPARTEMENTS)
    days = (today() - EARLIEST_EFFECTIVE_DATE).days
    return [
        events.PeerWorkerRegistered.build(
            occurred_at=EARLIEST_EFFECTIVE_DATE + timedelta(days=rng.randrange(days)),
            recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
            position=position,
            aggregate_id=uuid.uuid4(),
            aggregate_version=1,
            payload={"departement": rng.choice(departements), "domains": rng.sample(list(InterventionDomain), 2)},
        )
        for position in range(1, count + 1)
    ]


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
        while (await js.stream_info(streams.EVENTS.name)).state.messages < len(history):
            await asyncio.sleep(0.1)
    finally:
        await connection.close()


def position(reporting: Service) -> int:
    metrics = httpx.get(f"{reporting.url}/metrics", timeout=10).text
    found = re.search(r'^peerwork_consumer_position\{consumer="reporting"\} (\S+)$', metrics, re.M)
    return int(float(found.group(1))) if found else 0


@pytest.fixture
def nats_of_its_own(tmp_path):
    """A stream holding the backlog alone, whatever the session's holds."""
    server = NatsServer(tmp_path / "nats", free_port()).start()
    yield server
    server.stop()


def test_sigterm_during_the_catch_up_at_start_up_interrupts_it(nats_of_its_own, tmp_path):
    """The lifespan's stop cancels the consumer between two batches, whatever is left to
    catch up on: the store's position at exit, short of the backlog, says the stop did not
    wait the catch-up out (it would still exit within the margin, with a backlog this
    short). Measured on the 2 shared cores, at about 8,000 events a second: 4,000 to 5,500
    in when SIGTERM was sent, 6,500 to 8,000 once the process had exited (0.3 s later).
    ``BACKLOG`` is more than twice that, for a test process slower to see the start than
    the service is to catch up; publishing it costs about 2 s."""
    asyncio.run(publish(nats_of_its_own.url, registrations(BACKLOG, random.Random(12))))
    reporting = Service("reporting", nats_of_its_own.url, tmp_path).start()
    try:
        eventually(lambda: position(reporting) > 0, timeout=60)
        assert position(reporting) < BACKLOG, "caught up already: make the backlog longer"
        reporting.process.send_signal(signal.SIGTERM)
        reporting.process.wait(timeout=EXIT_MARGIN)
    finally:
        if reporting.process.poll() is None:
            reporting.kill()
    store = StatisticsStore(tmp_path / "reporting.sqlite")
    try:
        assert store.last_sequence() < BACKLOG, "the stop waited for the catch-up to end"
    finally:
        store.close()
