"""The accompaniment's HTTP API: parses requests, calls the application, maps refusals to 4xx."""

from datetime import timedelta

from fastapi import FastAPI

from peerwork_common.audit_api import install_audit
from peerwork_common.auth import Verifier
from peerwork_common.http import Lifespan, write_service_app
from peerwork_common.idempotency import DEFAULT_TTL

from ..application import Accompaniments
from .routes import accompaniments, training_sessions


def create_app(
    application: Accompaniments,
    verifier: Verifier,
    lifespan: Lifespan | None = None,
    idempotency_ttl: timedelta = DEFAULT_TTL,
) -> FastAPI:
    app = write_service_app(
        application,
        "peerwork accompaniment",
        "The platform's support of structures hosting peer workers, and its trainings.",
        lifespan,
        verifier,
        idempotency_ttl,
    )
    app.state.accompaniments = application
    app.include_router(accompaniments.router)
    app.include_router(training_sessions.router)
    install_audit(app, application)
    return app
