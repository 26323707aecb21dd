"""The HTTP side of lists: the page every list answers with, and its query parameters."""

from collections.abc import Iterator
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, Field

from ..errors import InvalidValueError
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


async def known_filters(request: Request) -> None:
    """A route's dependency refusing query parameters it does not take (a 422 naming them):
    a filter misspelt (``statut=open``) would else be left out, and the whole list answered
    as if it were what was asked for."""
    taken = set(_query_names(request.scope["route"].dependant))
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        raise InvalidValueError(
            f"this list takes no {', '.join(repr(name) for name in unknown)}: its query parameters are "
            + ", ".join(sorted(taken))
        )


def _query_names(dependant: Any) -> Iterator[str]:
    for parameter in dependant.query_params:
        yield parameter.alias
    for dependency in dependant.dependencies:
        yield from _query_names(dependency)


__all__ = ["Cursor", "DEFAULT_LIMIT", "Limit", "Page", "known_filters"]
