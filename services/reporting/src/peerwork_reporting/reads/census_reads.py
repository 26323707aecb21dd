"""Reads of the census (peer workers, structures, employments), by département, as it
stood at the end of a day.

Each read takes one cursor, on which the store has opened a snapshot, and the ISO date
``day``.
"""

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import NamedTuple

from ..ports import Cursor
from ..projection import census_changes


@dataclass
class CensusRow:
    """One département's census."""

    peer_workers: int = 0
    partner_structures: int = 0
    employed_peer_workers: int = 0
    peer_workers_by_domain: dict[str, int] = field(default_factory=dict)
    structures_by_sector: dict[str, int] = field(default_factory=dict)
    employed_by_sector: dict[str, int] = field(default_factory=dict)  # by their employer's sector


def census_rows(cursor: Cursor, day: str, departements: Collection[str] | None = None) -> dict[str, CensusRow]:
    """Every département with a peer worker or a structure on ``day``, or those of
    ``departements``."""
    rows: defaultdict[str, CensusRow] = defaultdict(CensusRow)
    for departement, metric, value in census_changes.figures_on(cursor, day, departements):
        row = rows[departement]
        kind, _, name = metric.partition(":")
        if kind == "domain":
            row.peer_workers_by_domain[name] = value
        elif kind == "sector":
            row.structures_by_sector[name] = value
        elif kind == "employed_sector":
            row.employed_by_sector[name] = value
        else:
            setattr(row, metric, value)
    return dict(rows)


class SomeDepartements(NamedTuple):
    """Which départements a census was read for, and the nation's number of peer workers
    that day (their share of it)."""

    codes: Collection[str]
    national_peer_workers: int


def some_census_rows(
    departements: Collection[str],
) -> Callable[[Cursor, str], tuple[dict[str, CensusRow], SomeDepartements]]:
    """The read of the census of ``departements`` only: a place's exact figures without
    summing the whole country."""

    def read(cursor: Cursor, day: str) -> tuple[dict[str, CensusRow], SomeDepartements]:
        national = sum(value for _, _, value in census_changes.figures_on(cursor, day, metric="peer_workers"))
        return census_rows(cursor, day, departements), SomeDepartements(departements, national)

    return read


def first_day(cursor: Cursor, day: str) -> str | None:
    """The earliest effective date in the views, up to ``day``; None when there is none.
    People's from the census changes, which keep what the erased counted for."""
    (first,) = cursor.execute(
        "SELECT MIN(first) FROM ("
        "SELECT MIN(day) AS first FROM census_changes WHERE delta <> 0 UNION ALL "
        "SELECT MIN(starts_on) FROM structure_spells UNION ALL "
        "SELECT MIN(opened_on) FROM accompaniments UNION ALL "
        "SELECT MIN(scheduled_on) FROM training_sessions UNION ALL "
        "SELECT MIN(formed_on) FROM collective_networks) AS firsts WHERE first <= :day",
        {"day": day},
    ).fetchone()
    return first
