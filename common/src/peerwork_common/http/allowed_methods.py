"""The methods a path takes, all of them, in the ``Allow`` header of a 405 and of an answer to
OPTIONS. (Starlette names only those of the first route on the path, and a path has a route
per method: ``PUT /peer-workers/{id}`` was told ``Allow: GET``, though the erasure is its
DELETE; and OPTIONS got that same 405.)"""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse, Response
from starlette.routing import Match

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def list_allowed_methods(app: FastAPI) -> None:
    """Answers OPTIONS on ``app``'s paths with the methods each takes, and names them in 405s."""
    app.add_exception_handler(status.HTTP_405_METHOD_NOT_ALLOWED, _not_allowed)


def methods_of(request: Request) -> list[str]:
    """The methods the app has a route for on ``request``'s path."""
    return [method for method in _METHODS if _routed(request, method)]


def _routed(request: Request, method: str) -> bool:
    # A scope of its own for each method: matching writes the route it finds into the scope.
    probe = {key: request.scope.get(key, "") for key in ("type", "path", "root_path")}
    routes = request.app.router.routes
    return any(route.matches({**probe, "method": method})[0] == Match.FULL for route in routes)


async def _not_allowed(request: Request, _: Exception) -> Response:
    methods = methods_of(request)
    if request.method == "OPTIONS":
        allow = ", ".join([*methods, "OPTIONS"])
        return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"Allow": allow})
    return JSONResponse(
        {"detail": f"{request.url.path} takes {', '.join(methods)}, not {request.method}"},
        status.HTTP_405_METHOD_NOT_ALLOWED,
        headers={"Allow": ", ".join(methods)},
    )
