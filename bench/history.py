"""Stage 4: a long history. A million registry events on the stream, then

- the baseline: replaying them with a plain nats-py pull consumer (no ack);
- a rebuild: the reporting service's store and durable consumer over the whole stream;
- point-in-time queries for a région over HTTP, on the rebuilt store, at random dates.

The history is synthetic but keeps to the registry's rules, each peer worker's events in
order: registrations since 2015, moves, employments (some ended) and withdrawals.
"""

import asyncio
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import perf_counter

import aiohttp
import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.nats import ensure_streams
from peerwork_common.workers.background import in_background
from peerwork_contracts import geography, streams
from peerwork_contracts import registry as events
from peerwork_reporting.reads.census_reads import census_rows
from peerwork_reporting.storage.rebuild import REBUILD_BATCH
from peerwork_reporting.storage.store import StatisticsStore

from .commands import AUTH_SECRET, AUTHORIZATION
from .processes import free_port, start_service
from .report import percentile

FIRST_DAY = date(2015, 1, 1)
DAYS = 3650
RECORDED = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class History:
    published: int
    replay_rate: float
    rebuild_rate: float
    first_read_s: float
    public_ms: list[float]
    exact_ms: list[float]


def _events(total: int, rng: random.Random) -> list[events.Event]:
    """About ``total`` events: a fifth structures and registrations, the rest what follows."""
    departements = list(geography.DEPARTEMENTS)
    domains = ["mental_health", "disability", "precarity_homelessness", "addiction", "violence", "other"]
    out: list[events.Event] = []

    def add(kind: type[events.Event], aggregate: uuid.UUID, version: int, day: date, payload: object) -> None:
        out.append(kind.build(occurred_at=day, recorded_at=RECORDED, position=len(out) + 1,
                              aggregate_id=aggregate, aggregate_version=version, payload=payload))

    structures = [uuid.uuid4() for _ in range(total // 50)]
    for structure in structures:
        add(events.PartnerStructureRegistered, structure, 1, FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
            events.PartnerStructureRegisteredPayload(name="S", siret=None, departement=rng.choice(departements),
                                                     sector=rng.choice(["culture", "addiction", "other"])))
    while len(out) < total:
        worker, version = uuid.uuid4(), 1
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        home = rng.choice(departements)
        add(events.PeerWorkerRegistered, worker, version, day,
            events.PeerWorkerRegisteredPayload(departement=home, domains=rng.sample(domains, rng.randint(1, 2))))
        if rng.random() < 0.3:
            day, version, moved_to = day + timedelta(days=rng.randint(1, 400)), version + 1, rng.choice(departements)
            if moved_to != home:
                add(events.PeerWorkerMoved, worker, version, day,
                    events.PeerWorkerMovedPayload(from_departement=home, to_departement=moved_to))
                home = moved_to
        if rng.random() < 0.7:
            employment, starts_on = uuid.uuid4(), day + timedelta(days=rng.randint(0, 200))
            employer, version = rng.choice(structures), version + 1
            add(events.EmploymentRecorded, worker, version, starts_on,
                events.EmploymentRecordedPayload(employment_id=employment, structure_id=employer,
                                                 starts_on=starts_on, ends_on=None))
            day = starts_on
            if rng.random() < 0.4:
                day, version = day + timedelta(days=rng.randint(1, 700)), version + 1
                add(events.EmploymentEnded, worker, version, day,
                    events.EmploymentEndedPayload(employment_id=employment, structure_id=employer, ends_on=day))
        if rng.random() < 0.2:
            day, version = day + timedelta(days=rng.randint(0, 500)), version + 1
            add(events.PeerWorkerWithdrawn, worker, version, day,
                events.PeerWorkerWithdrawnPayload(departement=home))
    return out


async def _publish(nats_url: str, history: list[events.Event]) -> int:
    connection = await nats.connect(nats_url, name="bench-history")
    try:
        js = connection.jetstream()
        await ensure_streams(js)
        # Core publishes, flushed in blocks: the stream takes them in; acked publishing of a
        # million messages one by one would take minutes and is measured elsewhere.
        for index, event in enumerate(history):
            await connection.publish(event.subject(), event.model_dump_json().encode())
            if index % 5000 == 4999:
                await connection.flush()
        await connection.flush()
        while (info := await js.stream_info(streams.EVENTS.name)).state.messages < len(history):
            await asyncio.sleep(0.2)
        return info.state.messages
    finally:
        await connection.close()


async def _replay_rate(nats_url: str, count: int, batch: int) -> float:
    connection = await nats.connect(nats_url, name="bench-replay")
    try:
        js = connection.jetstream()
        subscription = await js.pull_subscribe(
            "peerwork.>", stream=streams.EVENTS.name,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=30),
        )
        received = 0
        started = perf_counter()
        while received < count:
            received += len(await subscription.fetch(batch, timeout=5))
        return received / (perf_counter() - started)
    finally:
        await connection.close()


async def _rebuild_rate(nats_url: str, path: Path, count: int) -> tuple[float, float]:
    # As the service's rebuild does it.
    store = StatisticsStore(path, durable=False)
    consumer = DurableConsumer(nats_url, "bench-rebuild", store, batch_size=REBUILD_BATCH)
    try:
        started = perf_counter()
        async with in_background(consumer):
            while store.last_sequence() < count:
                await asyncio.sleep(0.01)
            rate = count / (perf_counter() - started)
        started = perf_counter()
        store.read(census_rows, date.today())  # brings the monthly running totals up to date
        return rate, perf_counter() - started
    finally:
        store.close()


async def _query_latencies(url: str, rng: random.Random, queries: int) -> tuple[list[float], list[float]]:
    public, exact = [], []
    async with aiohttp.ClientSession() as session:
        for index in range(queries):
            day = FIRST_DAY + timedelta(days=rng.randrange(DAYS + 365))
            staff = index % 2 == 1
            params = {"as_of": day.isoformat(), **({"exact": "true"} if staff else {})}
            # Protected figures of any day are an analyst's without exact=true now: the
            # public reads stored releases, which cost no query on the views.
            headers = AUTHORIZATION
            started = perf_counter()
            async with session.get(f"{url}/stats/regions/84", params=params, headers=headers) as response:
                response.raise_for_status()
                await response.read()
            (exact if staff else public).append((perf_counter() - started) * 1000)
    return public, exact


async def long_history(workdir: Path, nats_url: str, total: int, batch: int = 500,
                       queries: int = 400) -> History:
    rng = random.Random(2022)
    history = _events(total, rng)
    published = await _publish(nats_url, history)
    del history
    replay = await _replay_rate(nats_url, published, batch)
    store_path = workdir / "history-reporting.sqlite"
    rebuild, first_read = await _rebuild_rate(nats_url, store_path, published)

    port = free_port()
    service, url = start_service("peerwork_reporting", {
        "REPORTING_PORT": str(port), "REPORTING_STORE_PATH": str(store_path),
        "REPORTING_CONSUMER_ENABLED": "false", "REPORTING_AUTH_JWT_SECRET": AUTH_SECRET,
        "REPORTING_NATS_URL": nats_url, "REPORTING_LOG_LEVEL": "WARNING",
    }, workdir, port)
    try:
        await _query_latencies(url, rng, 20)  # warm-up: connections, caches
        public, exact = await _query_latencies(url, rng, queries)
    finally:
        service.stop()
    return History(published, replay, rebuild, first_read, public, exact)


def summary(history: History) -> dict[str, float]:
    return {
        "public_p50": percentile(history.public_ms, 50), "public_p99": percentile(history.public_ms, 99),
        "exact_p50": percentile(history.exact_ms, 50), "exact_p99": percentile(history.exact_ms, 99),
    }

