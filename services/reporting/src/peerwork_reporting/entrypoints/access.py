"""Who may see exact figures: for now, whoever holds the staff token (issue 6 brings real
identities and roles)."""

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(auto_error=False, description="The staff token, for exact figures")


def staff(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Lets through the holder of the staff token only."""
    token: str | None = request.app.state.staff_token
    if token is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "this is for staff, and no staff token is configured (REPORTING_STAFF_TOKEN)",
        )
    if credentials is None or not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "this is for staff: send the staff token as 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


def exact_figures(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    exact: Annotated[
        bool,
        Query(description="Exact figures, without disclosure control: staff only (bearer token)"),
    ] = False,
) -> bool:
    if exact:
        staff(request, credentials)
    return exact


Exact = Annotated[bool, Depends(exact_figures)]
