"""The registry's composition root: settings in, a running HTTP app (with its relay) out."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from peerwork_common.logs import configure_logging
from peerwork_common.relay import relaying

from .application import Registry
from .config import Settings
from .entrypoints.http import create_app
from .publication import to_contract


def bootstrap(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    registry = Registry(env=settings.eventsourcing_env())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.relay_enabled:
            async with relaying(registry, to_contract, settings.nats_url):
                yield
        else:
            yield
        registry.close()

    return create_app(registry, lifespan)
