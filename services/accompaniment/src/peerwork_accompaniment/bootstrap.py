"""The accompaniment's composition root: settings in, a running HTTP app (with its relay,
and its consumer of the registry's records) out."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from peerwork_common.http.body_limit import limit_body_size
from peerwork_common.messaging.consumer import DurableConsumer, consuming
from peerwork_common.messaging.relay import relaying
from peerwork_common.operations.logs import configure_logging
from peerwork_common.operations.observability import Observability
from peerwork_common.operations.tracing import Tracing
from peerwork_common.security.auth import Verifier
from peerwork_common.workers.leadership import leadership
from peerwork_contracts import subjects

from .application import Accompaniments
from .config import Settings
from .entrypoints.http import create_app
from .publication import to_contract
from .registry_records import RegistryRecords


def bootstrap(settings: Settings | None = None, tracer_provider: TracerProvider | None = None) -> FastAPI:
    """``tracer_provider``: where spans go (tests); else as the settings say (``tracing``)."""
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)
    tracing = Tracing.of(settings, "accompaniment", tracer_provider)
    accompaniments = Accompaniments(env=settings.eventsourcing_env())
    observability = Observability.of_event_store(accompaniments)
    registry_records = RegistryRecords.of(accompaniments)
    registry_events = DurableConsumer(
        settings.nats_servers,
        settings.registry_records_consumer_name,
        registry_records,
        filter_subject=subjects.service_events("registry"),
        tracer=tracing.tracer("peerwork.consumer"),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.callback(tracing.shutdown)
            stack.callback(accompaniments.close)
            if settings.relay_enabled:
                observability.watch_relay(await stack.enter_async_context(
                    relaying(
                        accompaniments,
                        to_contract,
                        settings.nats_servers,
                        leadership(settings, accompaniments, "relay"),
                        tracing.tracer("peerwork.relay"),
                    )
                ))
            if settings.registry_records_enabled:
                observability.watch_consumer(await stack.enter_async_context(
                    consuming(registry_events, leadership(settings, accompaniments, "registry-records"))
                ))
            yield

    idempotency_ttl = timedelta(hours=settings.idempotency_ttl_hours)
    app = create_app(
        accompaniments,
        Verifier.of(settings),
        lifespan,
        idempotency_ttl,
        registry_records,
        registry_events if settings.registry_records_enabled else None,
    )
    limit_body_size(app, settings.max_body_bytes)
    tracing.instrument(app)
    observability.install(app, "accompaniment", settings)
    return app
