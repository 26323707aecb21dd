"""The accompaniment's composition root: settings in, a running HTTP app (with its relay,
and its consumer of the registry's records) out."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from peerwork_common.http.apps import Lifespan
from peerwork_common.http.body_limit import limit_body_size
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.relay import Relay
from peerwork_common.operations.logs import configure_logging
from peerwork_common.operations.observability import Observability
from peerwork_common.operations.tracing import Tracing
from peerwork_common.security.auth import Verifier
from peerwork_common.workers.background import in_background
from peerwork_common.workers.leadership import leadership
from peerwork_contracts import subjects

from .application import Accompaniments
from .config import Settings
from .entrypoints.http import create_app
from .publication import PUBLISHED, to_contract
from .registry_records import RegistryRecords


def bootstrap(
    settings: Settings | None = None,
    *,
    accompaniments: Accompaniments | None = None,
    verifier: Verifier | None = None,
    tracer_provider: TracerProvider | None = None,
) -> FastAPI:
    """The parts not given are made as the settings say: ``accompaniments``, the application
    (on its store); ``verifier``, of bearer tokens;
    ``tracer_provider``, where spans go (``tracing``). At shutdown the app
    closes what it made, not what it was given."""
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)
    tracing = Tracing.of(settings, "accompaniment", tracer_provider)
    made_here = accompaniments is None  # what the app is given is its giver's to close
    accompaniments = accompaniments or Accompaniments(env=settings.eventsourcing_env())
    observability = Observability.of_event_store(accompaniments)
    registry_records = RegistryRecords.of(accompaniments)
    registry_events = DurableConsumer(
        settings.nats_servers,
        settings.registry_records_consumer_name,
        registry_records,
        filter_subject=subjects.service_events("registry"),
        tracer=tracing.tracer("peerwork.consumer"),
    )
    idempotency_ttl = timedelta(hours=settings.idempotency_ttl_hours)
    app = create_app(
        accompaniments,
        verifier or Verifier.of(settings),
        lifespan(settings, accompaniments, made_here, tracing, observability, registry_events),
        idempotency_ttl,
        registry_records,
        registry_events if settings.registry_records_enabled else None,
    )
    limit_body_size(app, settings.max_body_bytes)
    tracing.instrument(app)
    observability.install(app, "accompaniment", settings)
    return app


def lifespan(
    settings: Settings,
    accompaniments: Accompaniments,
    made_here: bool,
    tracing: Tracing,
    observability: Observability,
    registry_events: DurableConsumer,
) -> Lifespan:
    """While the app serves: the relay and the consumer of the registry's records in the
    background, each if the settings enable it, under its leadership lock.
    At shutdown: the tracing, and the application if ``made_here``."""

    @asynccontextmanager
    async def running(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.callback(tracing.shutdown)
            if made_here:
                stack.callback(accompaniments.close)
            if settings.relay_enabled:
                relay_lock = leadership(settings, accompaniments, "relay")
                relay = Relay(
                    accompaniments, to_contract, settings.nats_servers, published=PUBLISHED,
                    poll_interval=relay_lock.poll_interval, tracer=tracing.tracer("peerwork.relay"),
                )
                accompaniments.on_saved(relay.wake)
                observability.watch_relay(await stack.enter_async_context(in_background(relay, relay_lock)))
            if settings.registry_records_enabled:
                records_lock = leadership(settings, accompaniments, "registry-records")
                observability.watch_consumer(
                    await stack.enter_async_context(in_background(registry_events, records_lock))
                )
            yield

    return running
