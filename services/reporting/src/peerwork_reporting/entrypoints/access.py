"""Who may see exact figures: for now, whoever holds the staff token (issue 6 brings real
identities and roles)."""

import hmac
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(
    auto_error=False, description="The staff token: exact figures, and no rate limit"
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def holds_staff_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> bool:
    token: str | None = request.app.state.staff_token
    return (
        token is not None
        and credentials is not None
        and hmac.compare_digest(credentials.credentials.encode(), token.encode())
    )


def staff(request: Request, credentials: Credentials) -> None:
    """Lets through the holder of the staff token only."""
    if request.app.state.staff_token is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "this is for staff, and no staff token is configured (REPORTING_STAFF_TOKEN)",
        )
    if not holds_staff_token(request, credentials):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "this is for staff: send the staff token as 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


def exact_figures(
    request: Request,
    credentials: Credentials,
    exact: Annotated[
        bool,
        Query(description="Exact figures, without disclosure control: staff only (bearer token)"),
    ] = False,
) -> bool:
    if exact:
        staff(request, credentials)
    return exact


Exact = Annotated[bool, Depends(exact_figures)]


class PublicRoute(APIRoute):
    """A route anyone may call, the staff token only widening what it gives: its document
    lists "no credentials" among its security requirements, which otherwise read as the
    bearer token being required."""

    def __init__(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        kwargs["openapi_extra"] = {"security": [{}], **(kwargs.get("openapi_extra") or {})}
        super().__init__(path, endpoint, **kwargs)
