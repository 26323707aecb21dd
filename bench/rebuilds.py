"""The long history read from the start of the stream: the baseline (a plain nats-py pull
consumer), the live store built in the bench process, and the rebuild the reporting service
runs in its own process (``POST /operations/rebuild``, as ``python -m peerwork_reporting
rebuild`` asks it). Each is timed to the whole history and to its first ``MARK`` events, so
that a rate falling as the history grows shows."""

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import aiohttp
import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.workers.background import in_background
from peerwork_contracts import catalogue, streams
from peerwork_reporting.storage.rebuild import REBUILD_BATCH
from peerwork_reporting.storage.store import StatisticsStore

from .commands import ADMIN_AUTHORIZATION

MARK = 100_000
STALLED = 60.0  # s without progress before a run is given up


@dataclass
class Timed:
    events: int
    seconds: float
    marks: list[float]  # seconds until each MARK events (the first MARK, 2 * MARK, ...)

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def mark_rate(self) -> float:
        """The rate over the first MARK events (all of them, if fewer)."""
        return min(MARK, self.events) / (self.marks[0] if self.marks else self.seconds)

    def rates(self) -> list[float]:
        """The rate over each MARK events in turn (the first MARK, the next, ...)."""
        ends = [0.0, *self.marks]
        return [MARK / (end - start) for start, end in zip(ends, ends[1:], strict=False)]


def _marked(marks: list[float], reached: int, seconds: float) -> None:
    """Notes ``seconds`` for each MARK multiple ``reached`` has passed since the last noted."""
    while reached >= MARK * (len(marks) + 1):
        marks.append(seconds)


async def replay(nats_url: str, count: int, batch: int = 500, store: Path | None = None) -> Timed:
    """The baseline: every message fetched in batches, nothing acknowledged or applied.
    With ``store``, a SQLite file: each also parsed into its contract event and written there
    as one row (its event id, type and stream sequence), a transaction a batch, as the
    rebuild's store is written (WAL, no sync): the least a subscriber that keeps what it
    reads does."""
    database = None if store is None else sqlite3.connect(store)
    if database is not None:
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("PRAGMA synchronous=OFF")
        database.execute("CREATE TABLE events (event_id TEXT PRIMARY KEY, type TEXT, sequence INTEGER)")
    connection = await nats.connect(nats_url, name="bench-replay")
    try:
        subscription = await connection.jetstream().pull_subscribe(
            "peerwork.>", stream=streams.EVENTS.name,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=30),
        )
        received, marks = 0, []
        started = perf_counter()
        while received < count:
            messages = await subscription.fetch(batch, timeout=5)
            if database is not None:
                with database:
                    database.executemany("INSERT INTO events VALUES (?, ?, ?)", [
                        (str(event.event_id), event.event_type, message.metadata.sequence.stream)
                        for message in messages if (event := catalogue.parse(message.subject, message.data))
                    ])
            received += len(messages)
            _marked(marks, received, perf_counter() - started)
        return Timed(received, perf_counter() - started, marks)
    finally:
        await connection.close()
        if database is not None:
            database.close()


async def follow(position: Callable[[], int], count: int, started: float) -> Timed:
    """Watches ``position`` every 10 ms until it reaches ``count``."""
    marks, reached, progressed = [], 0, perf_counter()
    while reached < count:
        await asyncio.sleep(0.01)
        now, current = perf_counter(), position()
        if current > reached:
            reached, progressed = current, now
        elif now - progressed > STALLED:
            raise RuntimeError(f"stuck at stream sequence {reached} of {count} for {STALLED:g} s")
        _marked(marks, reached, now - started)
    return Timed(count, perf_counter() - started, marks)


async def build_in_bench(nats_url: str, path: Path, count: int) -> Timed:
    """The live store the service starts from, built as its rebuild builds one."""
    store = StatisticsStore(path, durable=False)
    consumer = DurableConsumer(nats_url, "bench-rebuild", store, batch_size=REBUILD_BATCH)
    try:
        started = perf_counter()
        async with in_background(consumer):
            return await follow(store.last_sequence, count, started)
    finally:
        store.close()


def stored_sequence(path: Path) -> int:
    """The stream sequence a store's file has applied, read from outside the process writing
    it (0 until its tables are made)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            row = connection.execute(
                "SELECT position FROM applied_positions WHERE source = '__stream__'"  # StatisticsStore's row
            ).fetchone()
    except sqlite3.OperationalError:  # not made yet
        return 0
    return row[0] if row else 0


async def rebuild_in_service(url: str, workdir: Path, count: int) -> tuple[Timed, float, Path]:
    """The service's rebuild, timed from its request until its fresh store holds the whole
    stream (read from the store's file every 10 ms; the status route refreshes every 0.2 s);
    then followed until it has compared the two stores and switched. Returns that timing,
    the seconds it took to verify and switch, and the fresh store's file."""
    async with aiohttp.ClientSession(headers=ADMIN_AUTHORIZATION) as session:
        started = perf_counter()
        async with session.post(f"{url}/operations/rebuild") as response:
            response.raise_for_status()
            status = await response.json()
        fresh = workdir / status["store"]
        timed = await follow(lambda: stored_sequence(fresh), count, started)
        caught_up = perf_counter()
        while status["state"] in ("catching up", "verifying"):
            await asyncio.sleep(0.1)
            async with session.get(f"{url}/operations/rebuild") as response:
                status = await response.json()
        if status["state"] != "switched":
            raise RuntimeError(f"the rebuild ended {status['state']}: {status['detail']}")
        return timed, perf_counter() - caught_up, fresh
