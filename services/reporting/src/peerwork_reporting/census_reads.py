"""Reads of the census views (peer workers, structures, employments), by département, as
they stood at the end of a day.

Each read takes one connection, on which the store has opened a snapshot, and the ISO date
``day``. A spell counts on ``day`` when it started on or before it and had not ended by
then (``ends_on`` is the first day it no longer holds).
"""

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

_ACTIVE = "{t}.starts_on <= :day AND ({t}.ends_on IS NULL OR {t}.ends_on > :day)"
SPELL = _ACTIVE.format(t="s")
EMPLOYMENT = _ACTIVE.format(t="e")


@dataclass
class CensusRow:
    """One département's census."""

    peer_workers: int = 0
    partner_structures: int = 0
    employed_peer_workers: int = 0
    peer_workers_by_domain: dict[str, int] = field(default_factory=dict)
    structures_by_sector: dict[str, int] = field(default_factory=dict)


def census_rows(connection: sqlite3.Connection, day: str) -> dict[str, CensusRow]:
    """Every département with a peer worker or a structure on ``day``."""
    rows: defaultdict[str, CensusRow] = defaultdict(CensusRow)
    params = {"day": day}
    for departement, domain, count in connection.execute(
        "SELECT s.departement, d.domain, COUNT(*) FROM peer_worker_spells s "
        f"JOIN peer_worker_domains d USING (peer_worker_id) WHERE {SPELL} GROUP BY 1, 2", params
    ):
        rows[departement].peer_workers_by_domain[domain] = count
    for departement, count in connection.execute(
        f"SELECT s.departement, COUNT(*) FROM peer_worker_spells s WHERE {SPELL} GROUP BY 1", params
    ):
        rows[departement].peer_workers = count
    for departement, sector, count in connection.execute(
        f"SELECT s.departement, s.sector, COUNT(*) FROM structure_spells s WHERE {SPELL} GROUP BY 1, 2",
        params,
    ):
        row = rows[departement]
        row.structures_by_sector[sector] = count
        row.partner_structures += count
    # A peer worker employed twice at once is one peer worker employed, where they live.
    for departement, count in connection.execute(
        "SELECT s.departement, COUNT(DISTINCT s.peer_worker_id) FROM peer_worker_spells s "
        f"JOIN employments e USING (peer_worker_id) WHERE {SPELL} AND {EMPLOYMENT} GROUP BY 1",
        params,
    ):
        rows[departement].employed_peer_workers = count
    return dict(rows)


def first_day(connection: sqlite3.Connection, day: str) -> str | None:
    """The earliest effective date in the views, up to ``day``; None when there is none."""
    (first,) = connection.execute(
        "SELECT MIN(first) FROM ("
        "SELECT MIN(starts_on) AS first FROM peer_worker_spells UNION ALL "
        "SELECT MIN(starts_on) FROM structure_spells UNION ALL "
        "SELECT MIN(opened_on) FROM accompaniments UNION ALL "
        "SELECT MIN(scheduled_on) FROM training_sessions) WHERE first <= :day",
        {"day": day},
    ).fetchone()
    return first
