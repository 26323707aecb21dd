"""The census as effective-dated changes, for figures on any day in a few milliseconds.

Each peer worker and structure contributes +1 to a figure (peer workers, a domain, the
employed, structures, a sector) of a département from the day it starts to count there,
and -1 from the day it stops. ``census_changes`` sums these by département, figure and
day. When an event changes a peer worker's history, however far back, the history's
contributions are worked out before and after and only the difference is written, so
backdated facts, moves, withdrawals and ended employments need no special case.

A figure on day D is its running total up to D. Running totals at the end of every month
with a change (``census_checkpoints``; a month without one keeps the totals before it)
are recomputed from the earliest month changed since the last time, when a read needs
them; a read then adds the days of D's month to the last totals before it.
"""

from collections import Counter
from collections.abc import Iterable

from .locations import Cursor

SCHEMA = """
CREATE TABLE IF NOT EXISTS census_changes (
    day TEXT NOT NULL,
    departement TEXT NOT NULL,
    metric TEXT NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (day, departement, metric)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS census_checkpoints (
    month TEXT NOT NULL,
    departement TEXT NOT NULL,
    metric TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (month, departement, metric)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS census_stale_months (month TEXT PRIMARY KEY) WITHOUT ROWID;
"""

Changes = Counter[tuple[str, str, str]]  # (département, figure, day) -> delta
Interval = tuple[str, str | None]  # ISO days: first counted, first no longer counted


def peer_worker_contributions(cur: Cursor, peer_worker_id: str) -> Changes:
    """What a peer worker's history, as the views hold it now, adds to the census."""
    spells = cur.execute(
        "SELECT departement, starts_on, ends_on FROM peer_worker_spells WHERE peer_worker_id = ?",
        (peer_worker_id,),
    ).fetchall()
    domains = [d for (d,) in cur.execute(
        "SELECT domain FROM peer_worker_domains WHERE peer_worker_id = ?", (peer_worker_id,)
    )]
    employed = _union(cur.execute(
        "SELECT starts_on, ends_on FROM employments WHERE peer_worker_id = ?", (peer_worker_id,)
    ).fetchall())
    changes: Changes = Counter()
    for departement, starts_on, ends_on in spells:
        for metric in ("peer_workers", *(f"domain:{domain}" for domain in domains)):
            _count(changes, departement, metric, (starts_on, ends_on))
        # Employed where they live, however many employments overlap.
        for interval in _intersections((starts_on, ends_on), employed):
            _count(changes, departement, "employed_peer_workers", interval)
    return changes


def structure_contributions(departement: str, sector: str, starts_on: str) -> Changes:
    changes: Changes = Counter()
    for metric in ("partner_structures", f"sector:{sector}"):
        _count(changes, departement, metric, (starts_on, None))
    return changes


def write(cur: Cursor, changes: Changes) -> None:
    """Adds ``changes`` to the census, and marks their months stale."""
    rows = [(*key, delta) for key, delta in changes.items() if delta]
    cur.executemany(
        "INSERT INTO census_changes VALUES (?, ?, ?, ?) ON CONFLICT (day, departement, metric) "
        "DO UPDATE SET delta = census_changes.delta + excluded.delta",
        [(day, departement, metric, delta) for departement, metric, day, delta in rows],
    )
    cur.executemany(
        "INSERT INTO census_stale_months VALUES (?) ON CONFLICT DO NOTHING", {(day[:7],) for _, _, day, _ in rows}
    )


def refresh(cur: Cursor) -> None:
    """Recomputes the monthly running totals from the earliest stale month on."""
    (stale,) = cur.execute("SELECT MIN(month) FROM census_stale_months").fetchone()
    if stale is None:
        return
    cur.execute("DELETE FROM census_checkpoints WHERE month >= ?", (stale,))
    cur.execute(
        """
        INSERT INTO census_checkpoints
        WITH monthly AS (
            SELECT substr(day, 1, 7) AS month, departement, metric, SUM(delta) AS delta
            FROM census_changes WHERE day >= :stale GROUP BY 1, 2, 3
        ),
        months AS (SELECT DISTINCT month FROM monthly),
        figures AS (SELECT DISTINCT departement, metric FROM census_changes),
        before AS (  -- the last running totals kept; they hold on until the next change
            SELECT departement, metric, value FROM census_checkpoints
            WHERE month = (SELECT MAX(month) FROM census_checkpoints WHERE month < :stale)
        )
        SELECT m.month, f.departement, f.metric,
               COALESCE(b.value, 0) + SUM(COALESCE(c.delta, 0))
                   OVER (PARTITION BY f.departement, f.metric ORDER BY m.month)
        FROM months m CROSS JOIN figures f
        LEFT JOIN monthly c ON c.month = m.month AND c.departement = f.departement AND c.metric = f.metric
        LEFT JOIN before b ON b.departement = f.departement AND b.metric = f.metric
        """,
        {"stale": stale},
    )
    cur.execute("DELETE FROM census_stale_months")


def figures_on(cur: Cursor, day: str) -> Iterable[tuple[str, str, int]]:
    """(département, figure, value) at the end of ``day``, from fresh checkpoints."""
    month = day[:7]
    totals: Counter[tuple[str, str]] = Counter()
    for departement, metric, value in cur.execute(
        "SELECT departement, metric, value FROM census_checkpoints WHERE month = ("
        "SELECT MAX(month) FROM census_checkpoints WHERE month < ?)",
        (month,),
    ):
        totals[departement, metric] += value
    for departement, metric, delta in cur.execute(
        "SELECT departement, metric, SUM(delta) FROM census_changes "
        "WHERE day >= ? AND day <= ? GROUP BY 1, 2",
        (f"{month}-01", day),
    ):
        totals[departement, metric] += delta
    return [(departement, metric, value) for (departement, metric), value in totals.items() if value]


def _count(changes: Changes, departement: str, metric: str, interval: Interval) -> None:
    starts_on, ends_on = interval
    changes[departement, metric, starts_on] += 1
    if ends_on is not None:
        changes[departement, metric, ends_on] -= 1


def _union(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for starts_on, ends_on in sorted(intervals, key=lambda interval: interval[0]):
        if merged and (merged[-1][1] is None or merged[-1][1] >= starts_on):
            last_start, last_end = merged[-1]
            longest = None if last_end is None or ends_on is None else max(last_end, ends_on)
            merged[-1] = (last_start, longest)
        else:
            merged.append((starts_on, ends_on))
    return merged


def _intersections(interval: Interval, others: list[Interval]) -> Iterable[Interval]:
    starts_on, ends_on = interval
    for other_start, other_end in others:
        start = max(starts_on, other_start)
        ends = [end for end in (ends_on, other_end) if end is not None]
        end = min(ends) if ends else None
        if end is None or start < end:
            yield start, end
