"""The HTTP side of lists: the page every list answers with, and its query parameters."""

from typing import Annotated, Generic, TypeVar

from fastapi import Query
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
__all__ = ["Cursor", "DEFAULT_LIMIT", "Limit", "Page"]
