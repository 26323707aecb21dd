"""The accompaniment's HTTP API: parses requests, calls the application, maps refusals to 4xx."""

from datetime import timedelta

from fastapi import FastAPI

from peerwork_common.http.apps import Lifespan, write_service_app
from peerwork_common.http.audit_api import install_audit
from peerwork_common.http.idempotency import DEFAULT_TTL
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.security.auth import Verifier

from ..application import Accompaniments
from ..lists.reads import Lists
from ..registry_records import RegistryRecords
from .references import RegistryReferences
from .routes import accompaniments, lists, operations, peer_network_corrections, peer_networks, training_sessions


def create_app(
    application: Accompaniments,
    verifier: Verifier,
    lifespan: Lifespan | None = None,
    idempotency_ttl: timedelta = DEFAULT_TTL,
    registry_records: RegistryRecords | None = None,
    registry_consumer: DurableConsumer | None = None,
) -> FastAPI:
    """``registry_records``: what the territory checks read of the registry's records (by
    default, those kept in ``application``'s database); ``registry_consumer``: the consumer
    that keeps them, whose lag tells a structure unknown to the registry from one not arrived
    yet (without it, a structure not known here is refused as one this service cannot tell)."""
    app = write_service_app(
        application,
        "peerwork accompaniment",
        "The platform's support of structures hosting peer workers, its trainings, and peers' collective organisation.",
        lifespan,
        verifier,
        idempotency_ttl,
    )
    app.state.accompaniments = application
    app.state.registry_records = registry_records or RegistryRecords.of(application)
    app.state.registry_references = RegistryReferences(app.state.registry_records, registry_consumer)
    app.state.lists = Lists(application)
    app.include_router(lists.accompaniments)
    app.include_router(lists.training_sessions)
    app.include_router(accompaniments.router)
    app.include_router(training_sessions.router)
    app.include_router(peer_networks.router)
    app.include_router(peer_network_corrections.router)
    app.include_router(operations.router)
    install_audit(app, application)
    return app
