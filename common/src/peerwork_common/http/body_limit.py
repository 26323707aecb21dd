"""A ceiling on request bodies, so that no client can make a service hold an unbounded body
in memory: a body over it is answered 413, with a message that names the limit."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import FastAPI, status
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)


def limit_body_size(app: FastAPI, max_bytes: int, larger: Mapping[str, int] | None = None) -> None:
    """Refuses a request whose body is larger than ``max_bytes``, without reading past them;
    ``larger`` names the paths that take more (a spreadsheet uploaded), with their limit."""
    limits = _Limits(max_bytes, dict(larger or {}))
    app.add_exception_handler(
        status.HTTP_413_CONTENT_TOO_LARGE,
        lambda request, _: _too_large(request.method, request.url.path, limits.of(request.url.path)),
    )
    app.add_middleware(_LimitedBodies, limits=limits)


@dataclass(frozen=True)
class _Limits:
    default: int
    larger: dict[str, int]

    def of(self, path: str) -> int:
        return self.larger.get(path, self.default)


class _LimitedBodies:
    """Answers a Content-Length over the path's limit before anything is read (Starlette's
    middleware refuses it too, but in plain text, and only once the route has answered);
    else Starlette's middleware counts the bytes as they come, chunked bodies included,
    and raises a 413 HTTPException where the route reads past the limit, which the
    handler words."""

    def __init__(self, app: ASGIApp, limits: _Limits) -> None:
        self._app = app
        self._limits = limits
        self._counting = {
            limit: RequestBodyLimitMiddleware(app, max_body_size=limit)
            for limit in {limits.default, *limits.larger.values()}
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        max_bytes = self._limits.of(scope["path"])
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            response = _too_large(scope["method"], scope["path"], max_bytes)
            await response(scope, receive, send)
            return
        await self._counting[max_bytes](scope, receive, send)


def _too_large(method: str, path: str, max_bytes: int) -> JSONResponse:
    log.info("%s %s refused (413): body over %d bytes", method, path, max_bytes)
    return JSONResponse(
        {"detail": f"the request body is larger than the {max_bytes} bytes this service takes"},
        status_code=status.HTTP_413_CONTENT_TOO_LARGE,
    )
