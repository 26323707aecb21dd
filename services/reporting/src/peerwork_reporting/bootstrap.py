"""Reporting's composition root: the statistics API with its JetStream consumer."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import date

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from peerwork_common.http.apps import Lifespan
from peerwork_common.http.body_limit import limit_body_size
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.operations.logs import configure_logging
from peerwork_common.operations.observability import Observability
from peerwork_common.operations.tracing import Tracing
from peerwork_common.security.auth import Verifier
from peerwork_common.workers.background import in_background
from peerwork_contracts.calendar import today

from .config import Settings
from .entrypoints.http import create_app
from .reads.statistics import Statistics
from .releases.publisher import Publisher
from .storage.locations import configured, releases_location
from .storage.rebuild import REBUILD_SUFFIX, Rebuilder
from .storage.releases import ReleaseStore
from .storage.store import StatisticsStore


def bootstrap(
    settings: Settings | None = None,
    *,
    store: StatisticsStore | None = None,
    releases: ReleaseStore | None = None,
    verifier: Verifier | None = None,
    today: Callable[[], date] = today,
    tracer_provider: TracerProvider | None = None,
) -> FastAPI:
    """The parts not given are made as the settings say: ``store``, the statistics' views;
    ``releases``, what the public reads; ``verifier``, of bearer tokens; ``today``, the clock
    the releases follow; ``tracer_provider``, where spans go (``tracing``). At shutdown the
    app closes what it made, not what it was given."""
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)
    tracing = Tracing.of(settings, "reporting", tracer_provider)
    location = configured(settings)
    made_here = []  # closed at shutdown; what the app is given is its giver's to close
    if store is None:
        store = StatisticsStore(location.in_use())
        made_here.append(store)
    observability = Observability(database=store.ping)
    consumer = DurableConsumer(
        settings.nats_servers,
        settings.consumer_name,
        store,
        batch_size=settings.batch_size,
        ack_wait=settings.ack_wait,
        replays_for=[settings.consumer_name + REBUILD_SUFFIX],
        tracer=tracing.tracer("peerwork.consumer"),
    )
    rebuilder = Rebuilder(store, consumer, settings.nats_servers, location)
    if releases is None:
        releases = ReleaseStore(releases_location(settings))
        made_here.append(releases)
    publisher = Publisher(
        store, releases, settings.disclosure_threshold, settings.release_quarter_ends, today, store.last_sequence
    )
    app = create_app(
        Statistics(store, settings.disclosure_threshold),
        verifier or Verifier.of(settings),
        releases,
        rebuilder,
        _lifespan(settings, tracing, made_here, consumer, observability, rebuilder, publisher),
        settings.public_requests_per_minute,
        settings.release_quarter_ends,
    )
    limit_body_size(app, settings.max_body_bytes)
    tracing.instrument(app)
    observability.install(app, "reporting", settings)
    return app


def _lifespan(
    settings: Settings,
    tracing: Tracing,
    made_here: list[StatisticsStore | ReleaseStore],
    consumer: DurableConsumer,
    observability: Observability,
    rebuilder: Rebuilder,
    publisher: Publisher,
) -> Lifespan:
    """The consumer and the publisher run while the app serves; at shutdown everything stops
    in the reverse order it started, the publisher first, and what ``bootstrap`` made
    (``made_here``) is closed."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.callback(tracing.shutdown)
            for part in made_here:
                stack.callback(part.close)
            if settings.consumer_enabled:
                observability.watch_consumer(await stack.enter_async_context(in_background(consumer)))
            stack.push_async_callback(rebuilder.close)
            settled = _caught_up(consumer) if settings.consumer_enabled else _always
            publishing = asyncio.create_task(publisher.run(settings.release_check_seconds, settled))
            stack.push_async_callback(_cancel, publishing)
            stack.callback(publisher.stop)  # first: see Publisher.stop
            yield

    return lifespan


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def _caught_up(consumer: DurableConsumer) -> Callable[[], Awaitable[bool]]:
    async def caught_up() -> bool:
        # Not attached yet (starting, or NATS away): what the views hold may be behind.
        return consumer.attached and await consumer.pending(timeout=5) == 0

    return caught_up


async def _always() -> bool:
    return True
