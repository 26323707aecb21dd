"""The registry's HTTP API: parses requests, calls the application, maps refusals to 4xx."""

from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from peerwork_common.http.apps import Lifespan, write_service_app
from peerwork_common.http.audit_api import install_audit
from peerwork_common.http.idempotency import DEFAULT_TTL
from peerwork_common.security.auth import Verifier

from ..application import Registry
from ..config import DEVELOPMENT_NAME_INDEX_KEY
from ..domain.peer_worker_merge import MergedError
from ..imports.jobs import Jobs
from ..lists.reads import Lists
from .routes import (
    employments,
    erasure,
    exports,
    imports,
    operations,
    peer_worker_corrections,
    peer_workers,
    structures,
)


def create_app(
    registry: Registry,
    verifier: Verifier,
    lifespan: Lifespan | None = None,
    idempotency_ttl: timedelta = DEFAULT_TTL,
    name_index_key: SecretStr = DEVELOPMENT_NAME_INDEX_KEY,
    import_answer_within: float = 10.0,
) -> FastAPI:
    """``import_answer_within``: seconds an import's upload waits for its report, before it
    answers 202 with where to follow it."""
    app = write_service_app(
        registry,
        "peerwork registry",
        "Census of peer workers and of the partner structures that employ them.",
        lifespan,
        verifier,
        idempotency_ttl,
        uploads=frozenset({imports.UPLOAD_PATH}),
    )
    app.state.registry = registry
    app.state.lists = Lists(registry, name_index_key.get_secret_value().encode())
    app.state.imports = Jobs()
    app.state.import_answer_within = import_answer_within
    # Before the record routes, whose ids "export" would else be taken for.
    app.include_router(exports.structures)
    app.include_router(exports.peer_workers)
    app.include_router(structures.router)
    app.include_router(peer_workers.router)
    app.include_router(employments.router)
    app.include_router(erasure.router)
    app.include_router(peer_worker_corrections.router)
    app.include_router(operations.router)
    app.include_router(imports.router)
    install_audit(app, registry)

    @app.exception_handler(MergedError)
    async def merged(request: Request, error: MergedError) -> JSONResponse:
        """410 pointing to the record that stands for the person now."""
        return JSONResponse({"detail": str(error), "merged_into": str(error.into)}, status_code=410)

    return app
