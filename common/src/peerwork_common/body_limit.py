"""A ceiling on request bodies, so that no client can make a service hold an unbounded body
in memory: a body over it is answered 413, with a message that names the limit."""

import logging

from fastapi import FastAPI, status
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)


def limit_body_size(app: FastAPI, max_bytes: int) -> None:
    """Refuses a request whose body is larger than ``max_bytes``, without reading past them."""
    # Starlette's middleware counts the bytes as they come, chunked bodies included, and
    # raises a 413 HTTPException where the route reads past the limit; the handler words it.
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=max_bytes)
    app.add_exception_handler(
        status.HTTP_413_CONTENT_TOO_LARGE,
        lambda request, _: _too_large(request.method, request.url.path, max_bytes),
    )
    app.add_middleware(_DeclaredLengthLimit, max_bytes=max_bytes)


class _DeclaredLengthLimit:
    """Answers a Content-Length over the limit before anything is read. (Starlette's
    middleware refuses it too, but in plain text, and only once the route has answered.)"""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self._app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = Headers(scope=scope).get("content-length", "")
            if length.isdigit() and int(length) > self._max_bytes:
                response = _too_large(scope["method"], scope["path"], self._max_bytes)
                await response(scope, receive, send)
                return
        await self._app(scope, receive, send)


def _too_large(method: str, path: str, max_bytes: int) -> JSONResponse:
    log.info("%s %s refused (413): body over %d bytes", method, path, max_bytes)
    return JSONResponse(
        {"detail": f"the request body is larger than the {max_bytes} bytes this service takes"},
        status_code=status.HTTP_413_CONTENT_TOO_LARGE,
    )
