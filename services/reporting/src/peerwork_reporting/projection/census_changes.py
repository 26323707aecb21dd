"""The census as effective-dated changes, for figures on any day in a few milliseconds.

Each peer worker and structure contributes +1 to a figure of a département from the day
it starts to count there, and -1 from the day it stops (``census_contributions``).
``census_changes`` sums these by département, figure and day. When an event changes a peer worker's history, however far back, the history's
contributions are worked out before and after and only the difference is written, so
backdated facts, moves, withdrawals and ended employments need no special case.

A figure on day D is its running total up to D. Running totals at the end of every month
with a change (``census_checkpoints``; a month without one keeps the totals before it)
are recomputed from the earliest month changed since the last time, when a read needs
them; a read then adds the days of D's month to the last totals before it, or takes the
days after D from its month's totals.

A batch's changes are appended to ``census_pending``, and folded into ``census_changes``
before a read, or once many are pending: a batch's days are scattered over the years,
and adding them in place rewrote pages all over the table at every batch (most of a
rebuild's time).
"""

from collections import Counter
from collections.abc import Collection, Iterable

from ..ports import Cursor
from .census_contributions import Changes

FOLD_AT = 200_000  # pending rows: past this, a batch folds them in


def write(cur: Cursor, changes: Changes) -> int:
    """Adds ``changes`` to the census, pending until folded in; returns the rows added."""
    rows = [(day, departement, metric, delta) for (departement, metric, day), delta in changes.items() if delta]
    cur.executemany("INSERT INTO census_pending VALUES (?, ?, ?, ?)", rows)
    return len(rows)


def fold(cur: Cursor) -> None:
    """Adds the pending changes to ``census_changes``, and marks their months stale."""
    cur.execute(
        "INSERT INTO census_stale_months SELECT DISTINCT substr(day, 1, 7) FROM census_pending "
        "WHERE true ON CONFLICT DO NOTHING"  # WHERE: SQLite would read ON as a join's
    )
    # Summed and in the table's order, so that each of its pages is written once.
    cur.execute(
        "INSERT INTO census_changes SELECT day, departement, metric, SUM(delta) FROM census_pending "
        "WHERE true GROUP BY day, departement, metric HAVING SUM(delta) <> 0 ORDER BY day, departement, metric "
        "ON CONFLICT (day, departement, metric) DO UPDATE SET delta = census_changes.delta + excluded.delta"
    )
    cur.execute("DELETE FROM census_pending")


def refresh(cur: Cursor) -> None:
    """Folds the pending changes in, and recomputes the monthly running totals from the
    earliest stale month on."""
    fold(cur)
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


def figures_on(
    cur: Cursor, day: str, departements: Collection[str] | None = None, metric: str | None = None
) -> Iterable[tuple[str, str, int]]:
    """(département, figure, value) at the end of ``day``, from fresh checkpoints: of every
    département and figure, or only of ``departements`` and of ``metric``.

    A day in the first half of its month is the last month's totals plus the changes since;
    one in the second half, its month's totals less the changes after it: at most half a
    month of changes is summed (at a million events, summing them was 60% of the read)."""
    month = day[:7]
    only, among = _only(departements, metric)
    checkpoint = "SELECT departement, metric, value FROM census_checkpoints WHERE {}" + only
    changes = "SELECT departement, metric, SUM(delta) FROM census_changes WHERE {}" + only + " GROUP BY 1, 2"
    totals: Counter[tuple[str, str]] = Counter()
    if day[8:] > "15" and (rows := cur.execute(checkpoint.format("month = ?"), (month, *among)).fetchall()):
        for departement, figure, value in rows:
            totals[departement, figure] += value
        for departement, figure, delta in cur.execute(
            changes.format("day > ? AND day <= ?"), (day, f"{month}-31", *among)
        ):
            totals[departement, figure] -= delta
    else:
        for departement, figure, value in cur.execute(
            checkpoint.format("month = (SELECT MAX(month) FROM census_checkpoints WHERE month < ?)"), (month, *among)
        ):
            totals[departement, figure] += value
        if day[8:] <= "15":  # past it, a month without its totals had no change
            for departement, figure, delta in cur.execute(
                changes.format("day >= ? AND day <= ?"), (f"{month}-01", day, *among)
            ):
                totals[departement, figure] += delta
    return [(departement, figure, value) for (departement, figure), value in totals.items() if value]


def _only(departements: Collection[str] | None, metric: str | None) -> tuple[str, list[str]]:
    """The condition on the place and the figure, and its parameters."""
    only, among = "", []
    if departements is not None:
        only += f" AND departement IN ({', '.join('?' * len(departements))})" if departements else " AND false"
        among += list(departements)
    if metric is not None:
        only += " AND metric = ?"
        among.append(metric)
    return only, among
