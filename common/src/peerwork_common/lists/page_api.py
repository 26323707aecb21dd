"""The HTTP side of lists: the page every list answers with, and its query parameters."""

from typing import Annotated, Generic, TypeVar

from fastapi import HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from .pages import DEFAULT_LIMIT, MAX_LIMIT

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list, in a stable order."""

    items: list[T]
    next: str | None = Field(
        description="The cursor of the next page, to pass as `cursor` with the same filters and sort; "
        "null on the last page"
    )


Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}")
]
Cursor = Annotated[
    str | None,
    Query(max_length=2000, description="The `next` of the previous page; leave it out for the first page"),
]


async def only_known_parameters(request: Request) -> None:
    """A dependency that answers 422 for a query parameter the route does not take: a
    filter misspelt (``departemnt=38``) would otherwise list everything. The route's own
    parameters are the known ones (not those of its other dependencies)."""
    known = {parameter.alias for parameter in request.scope["route"].dependant.query_params}
    if unknown := sorted(set(request.query_params) - known):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"this list takes no parameter {', '.join(map(repr, unknown))}; it takes {', '.join(sorted(known))}",
        )


__all__ = ["Cursor", "DEFAULT_LIMIT", "Limit", "Page", "only_known_parameters"]
