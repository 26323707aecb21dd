"""The registry's HTTP API: parses requests, calls the application, maps refusals to 4xx."""

from fastapi import FastAPI

from peerwork_common import asyncapi
from peerwork_common.http import Lifespan, install_error_handlers, service_app

from ..application import Registry
from peerwork_common.errors import InvalidValueError, NotFoundError, RuleBrokenError
from .routes import peer_workers, structures


def create_app(registry: Registry, lifespan: Lifespan | None = None) -> FastAPI:
    app = service_app(
        "peerwork registry",
        "Census of peer workers and of the partner structures that employ them.",
        lifespan,
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

    return app
