"""The registry's HTTP API: parses requests, calls the application, maps refusals to 4xx."""

from fastapi import FastAPI

from peerwork_common.audit_api import install_audit
from peerwork_common.auth import Verifier
from peerwork_common.http import Lifespan, write_service_app

from ..application import Registry
from .routes import peer_workers, structures


def create_app(registry: Registry, verifier: Verifier, lifespan: Lifespan | None = None) -> FastAPI:
    app = write_service_app(
        registry.name,
        "peerwork registry",
        "Census of peer workers and of the partner structures that employ them.",
        lifespan,
        verifier,
    )
    app.state.registry = registry
    app.include_router(structures.router)
    app.include_router(peer_workers.router)
    install_audit(app, registry)
    return app
