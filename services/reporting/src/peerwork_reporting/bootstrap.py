"""Reporting's composition root: the statistics API with its JetStream consumer."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import logging

from fastapi import FastAPI
from faststream.nats import NatsBroker

from peerwork_common.logs import configure_logging

from .config import Settings
from .consumer import Projector, align_consumer, subscribe
from .entrypoints.http import create_app
from .statistics import Statistics
from .store import StatisticsStore


def bootstrap(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    store = StatisticsStore(settings.store_path)
    # Per-message logs cost more than the projection itself; errors are still logged.
    broker = NatsBroker(
        settings.nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.5, log_level=logging.DEBUG
    )
    subscribe(broker, Projector(store, broker, settings.consumer_name), settings.consumer_name, settings.batch_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.consumer_enabled:
            await broker.connect()
            await align_consumer(broker.config.connection_state.stream, settings.consumer_name, store, settings.ack_wait)
            await broker.start()
        try:
            yield
        finally:
            await broker.stop()
            store.close()

    return create_app(Statistics(store), lifespan)
