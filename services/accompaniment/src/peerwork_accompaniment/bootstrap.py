"""The accompaniment's composition root: settings in, a running HTTP app (with its relay) out."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from peerwork_common.auth import Verifier
from peerwork_common.leadership import leadership
from peerwork_common.body_limit import limit_body_size
from peerwork_common.logs import configure_logging
from peerwork_common.observability import Observability
from peerwork_common.relay import relaying

from .application import Accompaniments
from .config import Settings
from .entrypoints.http import create_app
from .publication import to_contract


def bootstrap(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)
    accompaniments = Accompaniments(env=settings.eventsourcing_env())
    observability = Observability.of_event_store(accompaniments)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.callback(accompaniments.close)
            if settings.relay_enabled:
                observability.watch_relay(await stack.enter_async_context(
                    relaying(
                        accompaniments,
                        to_contract,
                        settings.nats_servers,
                        leadership(settings, accompaniments, "relay"),
                    )
                ))
            yield

    idempotency_ttl = timedelta(hours=settings.idempotency_ttl_hours)
    app = create_app(accompaniments, Verifier.of(settings), lifespan, idempotency_ttl)
    limit_body_size(app, settings.max_body_bytes)
    observability.install(app)
    return app
