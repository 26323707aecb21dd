"""The registry's composition root: settings in, a running HTTP app (with its relay and its
consumer of hirings) out."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from peerwork_common.eventstore.personal_data.erasure import finishing
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

from .application import Registry
from .config import Settings
from .entrypoints.http import create_app
from .entrypoints.routes import imports
from .hirings import SUBJECTS, Hirings
from .name_claims import claim_unclaimed_names, log_backfill
from .publication import PUBLISHED, to_contract


def bootstrap(
    settings: Settings | None = None,
    *,
    registry: Registry | None = None,
    verifier: Verifier | None = None,
    tracer_provider: TracerProvider | None = None,
) -> FastAPI:
    """The parts not given are made as the settings say: ``registry``, the application (on
    its store); ``verifier``, of bearer tokens;
    ``tracer_provider``, where spans go (``tracing``). At shutdown the app
    closes what it made, not what it was given."""
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)
    tracing = Tracing.of(settings, "registry", tracer_provider)
    made_here = registry is None  # what the app is given is its giver's to close
    registry = registry or registry_of(settings)
    observability = Observability.of_event_store(registry)
    lifespan = _lifespan(settings, registry, made_here, tracing, observability)
    idempotency_ttl = timedelta(hours=settings.idempotency_ttl_hours)
    app = create_app(
        registry,
        verifier or Verifier.of(settings),
        lifespan,
        idempotency_ttl,
        settings.name_index_key,
        settings.import_answer_within_seconds,
    )
    limit_body_size(app, settings.max_body_bytes, larger={imports.UPLOAD_PATH: settings.import_max_bytes})
    tracing.instrument(app)
    observability.install(app, "registry", settings)
    return app


def _lifespan(
    settings: Settings, registry: Registry, made_here: bool, tracing: Tracing, observability: Observability
) -> Lifespan:
    """What runs while the app serves: the backfill of name claims first, then the finishing of
    erasures, the relay and the consumer of hirings (as the settings enable them, each under its
    leadership lock). At shutdown what was started stops, and the tracing and the registry (if
    ``made_here``) close."""
    hirings = DurableConsumer(
        settings.nats_servers, settings.hirings_consumer_name, Hirings(registry), filter_subject=SUBJECTS,
        tracer=tracing.tracer("peerwork.consumer"),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.callback(tracing.shutdown)
            if made_here:
                stack.callback(registry.close)
            # Before serving: a structure registered again under an old name must meet its claim.
            log_backfill(await asyncio.to_thread(claim_unclaimed_names, registry))
            await stack.enter_async_context(finishing(registry.erasures))
            if settings.relay_enabled:
                relay_lock = leadership(settings, registry, "relay")
                relay = Relay(
                    registry, to_contract, settings.nats_servers, published=PUBLISHED,
                    poll_interval=relay_lock.poll_interval, tracer=tracing.tracer("peerwork.relay"),
                )
                registry.on_saved(relay.wake)
                observability.watch_relay(await stack.enter_async_context(in_background(relay, relay_lock)))
            if settings.hirings_enabled:
                hirings_lock = leadership(settings, registry, "hirings")
                observability.watch_consumer(await stack.enter_async_context(in_background(hirings, hirings_lock)))
            yield

    return lifespan


def registry_of(settings: Settings) -> Registry:
    """The registry's application on its store, for the HTTP app and the operator's commands."""
    return Registry(env=settings.eventsourcing_env())
