"""Keyset pagination: a page is the rows after the last one of the page before, in a
stable order (the sort key, then the id), found through an index rather than counted
past with OFFSET; the ``next`` cursor carries that last row's key, opaque to clients."""

import base64
import binascii
import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peerwork_common.domain.errors import InvalidValueError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class BadCursorError(InvalidValueError):
    """A cursor this list did not give, or gave for another order."""


@dataclass(frozen=True)
class Order:
    """An order of a list: by ``column`` (never NULL, text or ISO dates), then by ``id``."""

    column: str
    descending: bool = False


@dataclass(frozen=True)
class Keyset:
    """The orders a list may be read in, by name; ``id`` is the rows' unique column."""

    orders: Mapping[str, Order]
    id: str = "id"

    def query(
        self, select: str, conditions: Sequence[str], values: Sequence[Any], sort: str, cursor: str | None, limit: int
    ) -> tuple[str, list[Any]]:
        """``select`` (``SELECT ... FROM ...``) narrowed by ``conditions`` (written with ``?``,
        taking ``values``), for the page after ``cursor`` in the order ``sort``: one row
        more than ``limit``, which tells whether another page follows."""
        order = self.orders[sort]
        conditions, values = list(conditions), list(values)
        if cursor is not None:
            conditions.append(f"({order.column}, {self.id}) {'<' if order.descending else '>'} (?, ?)")
            values.extend(decode(cursor, sort))
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        direction = "DESC" if order.descending else "ASC"
        return f"{select}{where} ORDER BY {order.column} {direction}, {self.id} {direction} LIMIT ?", [*values, limit + 1]

    def page(self, rows: Sequence[Any], sort: str, limit: int, key_of: Callable[[Any], tuple[str, str]]) -> tuple[list[Any], str | None]:
        """The rows of the page, and the cursor of the next one (None: this is the last);
        ``key_of``: a row's sort key and id."""
        if len(rows) <= limit:
            return list(rows), None
        return list(rows[:limit]), encode(sort, *key_of(rows[limit - 1]))


def encode(sort: str, key: str, row_id: str) -> str:
    raw = json.dumps([sort, key, row_id], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, sort: str) -> tuple[str, str]:
    """The sort key and id a cursor of the order ``sort`` carries."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, key, row_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise BadCursorError(
            "the cursor is not one this list gave: pass the `next` of the previous page as it is, "
            "or leave it out for the first page"
        ) from None
    if not (isinstance(made_for, str) and isinstance(key, str) and isinstance(row_id, str)) or any(
        unicodedata.category(character) in ("Cc", "Cs") for character in key + row_id
    ):  # no list gives control characters (PostgreSQL refuses NUL) nor lone surrogates
        raise BadCursorError("the cursor is not one this list gave: leave it out for the first page")
    if made_for != sort:
        raise BadCursorError(
            f"the cursor was given for the order {made_for!r}, not {sort!r}: keep the same sort "
            "from page to page, or leave the cursor out to start again"
        )
    return key, row_id
