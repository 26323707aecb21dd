"""The HTTP side of lists: the page every list answers with, and its query parameters."""

import types
from collections.abc import Iterator
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from fastapi import Query, Request
from pydantic import BaseModel, Field

from peerwork_common.domain.errors import InvalidValueError

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
    taken = dict(_query_parameters(request.scope["route"].dependant))
    unknown = sorted(set(request.query_params) - set(taken))
    if unknown:
        raise InvalidValueError(
            f"this list takes no {', '.join(repr(name) for name in unknown)}: its query parameters are "
            + ", ".join(sorted(taken))
        )
    # FastAPI keeps the last of a one-value parameter given twice (`employing=false&employing=true`),
    # and the list would answer for a filter the client did not mean.
    repeated = sorted(
        name for name, many in taken.items() if not many and len(request.query_params.getlist(name)) > 1
    )
    if repeated:
        raise InvalidValueError(f"give {', '.join(repr(name) for name in repeated)} once: it takes one value")


def _query_parameters(dependant: Any) -> Iterator[tuple[str, bool]]:
    """Each query parameter's name, and whether it takes several values."""
    for parameter in dependant.query_params:
        yield parameter.alias, _several(parameter.field_info.annotation)
    for dependency in dependant.dependencies:
        yield from _query_parameters(dependency)


def _several(annotation: Any) -> bool:
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_several(member) for member in get_args(annotation))
    return (get_origin(annotation) or annotation) in (list, set, frozenset, tuple)


__all__ = ["Cursor", "DEFAULT_LIMIT", "Limit", "Page", "known_filters"]
