"""The registry's HTTP API: parses requests, calls the application, maps refusals to 4xx."""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from peerwork_common import asyncapi
from peerwork_common.http import install_error_handlers

from ..application import Registry
from ..domain.errors import InvalidValueError, NotFoundError, RuleBrokenError
from .routes import peer_workers, structures

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(registry: Registry, lifespan: Lifespan | None = None) -> FastAPI:
    app = FastAPI(
        title="peerwork registry",
        summary="Census of peer workers and of the partner structures that employ them.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.registry = registry
    app.include_router(structures.router)
    app.include_router(peer_workers.router)
    install_error_handlers(
        app, {NotFoundError: 404, RuleBrokenError: 409, InvalidValueError: 422}
    )

    @app.get("/asyncapi.json", tags=["events"])
    def asyncapi_document() -> dict:
        """AsyncAPI document of the events this service publishes on NATS."""
        return asyncapi.committed("registry")

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    return app
