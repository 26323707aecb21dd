"""HTTP plumbing every service shares: error responses a person can act on."""

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from functools import cache

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse

from peerwork_common.domain.errors import DuplicateError, ErasedError, InvalidValueError, NotFoundError, RuleBrokenError
from peerwork_common.eventstore.application import WriteApplication
from peerwork_common.http.allowed_methods import list_allowed_methods
from peerwork_common.http.idempotency import DEFAULT_TTL, install_idempotency
from peerwork_common.http.idempotent_requests import IdempotentRequests
from peerwork_common.http.json_bodies import check_json_bodies
from peerwork_common.messaging import asyncapi, asyncapi_page
from peerwork_common.security.auth import Verifier

log = logging.getLogger(__name__)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def install_error_handlers(app: FastAPI, statuses: dict[type[Exception], int]) -> None:
    """Answers each domain error with its status and its message as ``detail``."""

    def handler(status: int):  # noqa: ANN202
        async def respond(request: Request, error: Exception) -> JSONResponse:
            log.info("%s %s refused (%d): %s", request.method, request.url.path, status, error)
            return JSONResponse({"detail": str(error)}, status_code=status)

        return respond

    for error_class, status in statuses.items():
        app.add_exception_handler(error_class, handler(status))

    # Starlette looks handlers up along the error's classes: this one comes before RuleBrokenError's.
    async def duplicated(request: Request, error: DuplicateError) -> JSONResponse:
        log.info("%s %s refused (409): %s", request.method, request.url.path, error)
        return JSONResponse({"detail": str(error), "existing_id": str(error.existing_id)}, status_code=409)

    app.add_exception_handler(DuplicateError, duplicated)


def service_app(
    title: str, summary: str, lifespan: Lifespan | None, verifier: Verifier, uploads: frozenset[str] = frozenset()
) -> FastAPI:
    """A service's FastAPI app, with the liveness route and the AsyncAPI document (JSON and
    a page) every service has, and ``verifier``
    for the bearer tokens its protected routes need (``peerwork_common.http.access``); it refuses
    the JSON bodies no route could answer (but the files uploaded to the paths ``uploads``
    names), and names every method of a path in a 405."""
    app = FastAPI(title=title, summary=summary, version="0.1.0", lifespan=lifespan)
    app.state.verifier = verifier
    check_json_bodies(app, uploads)
    list_allowed_methods(app)

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/asyncapi.json", tags=["events"])
    def asyncapi_document() -> dict:
        """AsyncAPI document of every event peerwork publishes on NATS, and of its consumers."""
        return asyncapi.committed()

    @app.get("/asyncapi.html", tags=["events"], response_class=HTMLResponse)
    def asyncapi_html() -> str:
        """The AsyncAPI document as a page to read (works offline: nothing fetched elsewhere)."""
        return _asyncapi_page()

    return app


@cache
def _asyncapi_page() -> str:
    return asyncapi_page.render(asyncapi.committed())


def write_service_app(
    application: WriteApplication,
    title: str,
    summary: str,
    lifespan: Lifespan | None,
    verifier: Verifier,
    idempotency_ttl: timedelta = DEFAULT_TTL,
    uploads: frozenset[str] = frozenset(),
) -> FastAPI:
    """A write service's app: its refusals answered as 4xx, and its commands idempotent under
    an ``Idempotency-Key`` (answers kept ``idempotency_ttl`` in ``application``'s database);
    ``uploads``: as ``service_app``'s."""
    app = service_app(title, summary, lifespan, verifier, uploads)
    install_idempotency(app, IdempotentRequests.of(application, idempotency_ttl))
    install_error_handlers(
        app, {NotFoundError: 404, RuleBrokenError: 409, ErasedError: 410, InvalidValueError: 422}
    )

    return app
