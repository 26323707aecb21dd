"""Stage 2b: the reporting projection, consuming the relayed events from JetStream.

The reporting service's own parts (StatisticsStore, Projector, its faststream pull
subscriber and consumer alignment) are wired as its bootstrap does, in this process and
without HTTP, so that the clock starts when consumption starts, not when Python does.
"""

import asyncio
import logging
import sys
from pathlib import Path
from time import perf_counter

from faststream.nats import NatsBroker
from peerwork_contracts import streams
from peerwork_contracts.calendar import today
from peerwork_reporting.config import Settings
from peerwork_reporting.consumer import Projector, align_consumer, subscribe
from peerwork_reporting.statistics import Statistics
from peerwork_reporting.store import StatisticsStore

WAIT = 60.0


async def projection_rate(workdir: Path, nats_url: str, expected_peer_workers: int
                          ) -> tuple[float | None, list[str]]:
    """Events/s from the subscriber's start until the store holds the whole stream.

    None (with a note) when the store has not caught up within ``WAIT`` seconds.
    """
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
        _log_to_file(workdir / "projection-faststream.log")
        while store.last_sequence < target:
            if perf_counter() - started > WAIT:
                stuck = f"stuck at stream sequence {store.last_sequence} of {target} after {WAIT:g} s"
                return None, [f"projection: {stuck}"]
            await asyncio.sleep(0.002)
        elapsed = perf_counter() - started

        counted = Statistics(store).national(today()).peer_workers
        if counted != expected_peer_workers:
            raise RuntimeError(f"projected {counted} peer workers, expected {expected_peer_workers}")
        return events / elapsed, []
    finally:
        await broker.stop()
        store.close()


def _log_to_file(path: Path) -> None:
    """Sends faststream's own log lines (it writes them to stdout) to a file instead."""
    logger = logging.getLogger("faststream.access.nats")
    for handler in list(logger.handlers):
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
            logger.removeHandler(handler)
            replacement = logging.FileHandler(path)
            replacement.setFormatter(handler.formatter)
            for log_filter in handler.filters:
                replacement.addFilter(log_filter)
            logger.addHandler(replacement)
