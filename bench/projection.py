"""Stage 2b: the reporting projection, consuming the relayed events from JetStream.

The reporting service's own parts (StatisticsStore, Projector, its faststream pull
subscriber and consumer alignment) are wired as its bootstrap does, in this process and
without HTTP, so that the clock starts when consumption starts, not when Python does.
"""

import asyncio
import logging
from pathlib import Path
from time import perf_counter

from faststream.nats import NatsBroker

from peerwork_contracts import streams
from peerwork_contracts.calendar import today
from peerwork_reporting.config import Settings
from peerwork_reporting.consumer import Projector, align_consumer, subscribe
from peerwork_reporting.statistics import Statistics
from peerwork_reporting.store import StatisticsStore


async def projection_rate(workdir: Path, nats_url: str, expected_peer_workers: int) -> float:
    """Events/s from the subscriber's start until the store holds the whole stream."""
    settings = Settings(store_path=workdir / "projection-reporting.sqlite", nats_url=nats_url)
    store = StatisticsStore(settings.store_path)
    broker = NatsBroker(nats_url, log_level=logging.DEBUG)
    subscribe(broker, Projector(store, broker, settings.consumer_name), settings.consumer_name,
              settings.batch_size)
    try:
        await broker.connect()
        js = broker.config.connection_state.stream
        await align_consumer(js, settings.consumer_name, store, settings.ack_wait)
        state = (await js.stream_info(streams.EVENTS.name)).state
        target, events = state.last_seq, state.messages

        started = perf_counter()
        await broker.start()
        async with asyncio.timeout(120):
            while store.last_sequence < target:
                await asyncio.sleep(0.002)
        elapsed = perf_counter() - started

        counted = Statistics(store).national(today()).peer_workers
        if counted != expected_peer_workers:
            raise RuntimeError(f"projected {counted} peer workers, expected {expected_peer_workers}")
        return events / elapsed
    finally:
        await broker.stop()
        store.close()
