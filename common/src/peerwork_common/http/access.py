"""Who may call which route: FastAPI dependencies over ``auth``.

A protected router checks the token before anything else of the request (before FastAPI
reads the body, and so before the route looks anything up), so neither a 401 nor a 403
tells whether what the request names exists, nor what the route takes.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from asgi_correlation_id import correlation_id
from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from peerwork_common.eventstore.provenance import Provenance, acting_as
from peerwork_common.http.refusals import refusals
from peerwork_common.security.auth import ADMIN, STAFF, Identity, InvalidTokenError, Verifier

_bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    description="A JWT from the platform's identity provider (or `python -m peerwork_common.security.tokens`), "
    "with its roles in the `roles` claim: staff, analyst or admin",
)
_HOW = "send 'Authorization: Bearer <token>' (python -m peerwork_common.security.tokens issues one)"


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Identity | None:
    """Whose token the request carries; None without one, 401 for one that cannot be trusted.
    Verified once a request (a protected route checks it first, its dependencies reuse it),
    in the thread pool: fetching an identity provider's keys blocks."""
    if credentials is None:
        return None
    if (known := getattr(request.state, "identity", None)) is not None:
        return known
    verifier: Verifier = request.app.state.verifier
    try:
        request.state.identity = await run_in_threadpool(verifier.identify, credentials.credentials)
        return request.state.identity
    except InvalidTokenError as error:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            f"{error}; {_HOW}",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None


Caller = Annotated[Identity | None, Depends(caller)]


def allowed(identity: Identity | None, *roles: str, what: str) -> Identity:
    """``identity``, when it holds one of ``roles``; else 401 (no token) or 403."""
    needed = " or ".join(dict.fromkeys([*roles, ADMIN]))  # admins may do anything
    if identity is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            f"{what} needs a token with the role {needed}: {_HOW}",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not identity.may(*roles):
        held = ", ".join(sorted(identity.roles)) or "none"
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"{what} needs the role {needed}; the token of {identity.subject!r} has roles: {held}",
        )
    return identity


def requires(*roles: str) -> DependsParam:
    """A dependency that lets through the holders of one of ``roles`` (and admins)."""

    async def holds_role(identity: Caller) -> Identity:
        return allowed(identity, *roles, what="this route")

    return Depends(holds_role)


# The staff member calling a protected route (which has checked the token already).
Staff = Annotated[Identity, requires(STAFF)]


def check_territory(identity: Identity, departement: str, what: str) -> None:
    """403 when ``identity``'s territory does not hold ``departement``, where ``what`` (a
    new record) would be."""
    if not identity.covers(departement):
        held = ", ".join(sorted(identity.territory or ())) or "none"
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"{what} in département {departement} is outside the territory of the token of "
            f"{identity.subject!r} (départements: {held})",
        )


def protected_router(*roles: str, **kwargs: Any) -> APIRouter:
    """An ``APIRouter`` whose every route needs one of ``roles``, its 401 and 403 declared
    (the dependency puts the bearer scheme in the OpenAPI document)."""

    class CheckedFirst(APIRoute):
        """Checks the token before FastAPI reads the body: someone without a valid token
        learns nothing from a 422 about what the route takes."""

        def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
            handle = super().get_route_handler()

            async def checked(request: Request) -> Response:
                identity = await caller(request, await _bearer(request))
                allowed(identity, *roles, what="this route")
                # Whatever the route stores or reads is on this caller's account, in this request.
                with acting_as(Provenance(identity.subject, request_id=correlation_id.get())):
                    return await handle(request)

            return checked

    responses = {**refusals(401, 403), **kwargs.pop("responses", {})}
    dependencies = [requires(*roles), *kwargs.pop("dependencies", [])]
    return APIRouter(dependencies=dependencies, responses=responses, route_class=CheckedFirst, **kwargs)
