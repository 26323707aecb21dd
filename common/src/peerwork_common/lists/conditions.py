"""A list's filters as SQL conditions, added one by one, and the page they select: what
every service's list queries share."""

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from .pages import Keyset
from .view import ListView, placeholders


@dataclass(frozen=True)
class Conditions:
    """SQL conditions (with ``?``) and the values they take, added filter by filter."""

    clauses: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)

    def add(self, clause: str, *values: Any) -> None:
        self.clauses.append(clause)
        self.values.extend(values)

    def within(self, column: str, codes: Collection[str]) -> None:
        """``column`` one of ``codes``; none matches when there are none."""
        codes = sorted(codes)
        self.add(f"{column} IN ({placeholders(codes)})" if codes else "1 = 0", *codes)


def read_page(
    view: ListView, db: Any, keyset: Keyset, select: str, conditions: Conditions, sort: str, cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """The rows of ``select`` narrowed by ``conditions``, one page after ``cursor`` in the
    order ``sort``, read through ``db`` (a cursor of ``view.reading()``), and the next cursor."""
    query, values = keyset.query(select, conditions.clauses, conditions.values, sort, cursor, limit)
    db.execute(view.sql(query), values)
    rows = [dict(row) for row in db.fetchall()]
    column = keyset.orders[sort].column
    return keyset.page(rows, sort, limit, lambda row: (row[column], row["id"]))
