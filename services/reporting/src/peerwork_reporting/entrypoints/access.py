"""Who may see what of the statistics: anyone the public figures; analysts (and admins) the
exact ones; admins the operations (``peerwork_common.http.access`` checks the tokens)."""

from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.routing import APIRoute

from peerwork_common.http.access import Caller, allowed
from peerwork_common.security.auth import ANALYST


def exact_figures(
    identity: Caller,
    exact: Annotated[
        bool,
        Query(description="Exact figures, without disclosure control: analysts and admins only (bearer token)"),
    ] = False,
) -> bool:
    if exact:
        allowed(identity, ANALYST, what="exact figures (exact=true)")
    return exact


Exact = Annotated[bool, Depends(exact_figures)]


class PublicRoute(APIRoute):
    """A route anyone may call, a token only widening what it gives: its document lists "no
    credentials" among its security requirements, which otherwise read as the bearer token
    being required."""

    def __init__(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        kwargs["openapi_extra"] = {"security": [{}], **(kwargs.get("openapi_extra") or {})}
        super().__init__(path, endpoint, **kwargs)
