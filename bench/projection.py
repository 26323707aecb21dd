"""Stage 2b: the reporting projection, consuming the relayed events from JetStream.

The reporting service's own parts (StatisticsStore and the durable consumer) are wired as
its bootstrap does, in this process and without HTTP, so that the clock starts when
consumption starts, not when Python does.
"""

import asyncio
from pathlib import Path
from time import perf_counter

import nats

from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.workers.background import in_background
from peerwork_contracts import streams
from peerwork_contracts.calendar import today
from peerwork_reporting.config import Settings
from peerwork_reporting.reads.statistics import Statistics
from peerwork_reporting.storage.store import StatisticsStore

WAIT = 60.0


async def projection_rate(workdir: Path, nats_url: str, expected_peer_workers: int
                          ) -> tuple[float | None, list[str]]:
    """Events/s from the consumer's start until the store holds the whole stream.

    None (with a note) when the store has not caught up within ``WAIT`` seconds.
    """
    settings = Settings(store_path=workdir / "projection-reporting.sqlite", nats_url=nats_url)
    store = StatisticsStore(settings.store_path)
    consumer = DurableConsumer(nats_url, settings.consumer_name, store,
                               batch_size=settings.batch_size, ack_wait=settings.ack_wait)
    connection = await nats.connect(nats_url)
    try:
        state = (await connection.jetstream().stream_info(streams.EVENTS.name)).state
        target, events = state.last_seq, state.messages
        started = perf_counter()
        async with in_background(consumer):
            while store.last_sequence() < target:
                if perf_counter() - started > WAIT:
                    stuck = f"stuck at stream sequence {store.last_sequence()} of {target} after {WAIT:g} s"
                    return None, [f"projection: {stuck}"]
                await asyncio.sleep(0.002)
            elapsed = perf_counter() - started

        counted = Statistics(store, threshold=10).national(today(), exact=True).peer_workers
        if counted != expected_peer_workers:
            raise RuntimeError(f"projected {counted} peer workers, expected {expected_peer_workers}")
        return events / elapsed, []
    finally:
        await connection.close()
        store.close()
