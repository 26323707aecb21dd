"""Statistical disclosure control for published counts of people.

Peer workers, and the people they accompany, are few in many places: a public figure of
1 to ``threshold`` people (a setting, 10 by default) could point at someone. Such a figure is
*primarily* suppressed; then *secondary* suppression hides enough other figures that no hidden
one can be worked back out of the rest. A hidden figure is published as the explicit string
``"suppressed"``, never as 0. Zeros are published: an exact "nobody" discloses nobody.

The table: counts in rows × columns, published with their row totals, column totals and grand
total. A list of counts with its total is a table with a single column (its row totals repeat
its cells and come out hidden alike: read ``cells`` and ``column_totals[0]``).

The attacker knows every published figure, that counts are whole numbers, and the rules above:
hidden figures are therefore at least 1, since zeros are published and a zero is never hidden.

The guarantee: every hidden figure, cell or total, can take at least two values consistent
with all of that, so its exact value is never implied. Nothing stronger: the attacker may
narrow a figure down to two neighbouring values. It holds table by table: a figure also in
another table (a région's row in the national table and in its own), or differenced with last
year's, must be suppressed with that other table in one grid.

The method. Write the table with its margins as an (m+1)×(n+1) grid whose totals are negated,
so that each of its rows and columns sums to zero (`_extended`). Another table consistent with
what is published differs from the true one by a grid that sums to zero along every line and is
zero on published entries: a sum of alternating cycles +1, -1, +1, -1 through hidden entries,
turning at each step from a row to a column and back. In the bipartite graph whose nodes are
the rows and columns, give each hidden entry an arc row→column (raising its grid value) and
column→row (lowering it); an alternating cycle is a directed cycle. Moving 1 round it keeps
every hidden figure at least 1, provided no figure of 1 is lowered: so a figure of 1 only has
its "count rises" arc (`_arcs`). A hidden entry is protected exactly when one of its arcs lies on a
directed cycle of arcs of other hidden entries.

Counting only lines with two hidden figures each is not enough. Hide just the four 1s of
[[1, 1, 50], [1, 1, 50], [50, 50, 50]]: each row and column has two hidden cells, yet row 0
totals 52 so its hidden pair sums to 2, and being at least 1 each they are both 1. Likewise a
hidden cell that is the only link between two groups of hidden cells is their difference.

Secondary suppression therefore closes a cycle for each primary figure not yet protected, over
the cheapest path (Dijkstra): hidden figures are free, a published one costs the people it
counts (then 1 per figure), so few people are hidden and figures already hidden are reused.
Such a path always exists: doubling the whole table raises every non-zero figure and keeps its
lines summing to zero, so every rising arc lies on a cycle of rising arcs.
"""

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

DEFAULT_THRESHOLD: Final = 10
SUPPRESSED: Final = "suppressed"

PublishedCount: TypeAlias = int | Literal["suppressed"]

# (row, column) in the extended grid: row m holds the column totals, column n the row totals.
_Entry: TypeAlias = tuple[int, int]
# (people hidden, figures hidden), compared in that order.
_Cost: TypeAlias = tuple[int, int]


def render(count: int, hidden: bool) -> PublishedCount:
    return SUPPRESSED if hidden else count


@dataclass(frozen=True)
class PublishedTable:
    """What may be shown: counts, or ``"suppressed"`` (JSON and CSV friendly)."""

    cells: list[list[PublishedCount]]
    row_totals: list[PublishedCount]
    column_totals: list[PublishedCount]
    grand_total: PublishedCount


@dataclass(frozen=True)
class SuppressedTable:
    """A table's counts and which of its figures are hidden (True)."""

    counts: list[list[int]]
    cells: list[list[bool]]
    row_totals: list[bool]
    column_totals: list[bool]
    grand_total: bool

    def published(self) -> PublishedTable:
        row_totals = [sum(row) for row in self.counts]
        columns = len(self.cells[0]) if self.cells else 0
        column_totals = [sum(row[j] for row in self.counts) for j in range(columns)]
        return PublishedTable(
            cells=[
                [render(count, hidden) for count, hidden in zip(row, mask)]
                for row, mask in zip(self.counts, self.cells)
            ],
            row_totals=[render(t, h) for t, h in zip(row_totals, self.row_totals)],
            column_totals=[render(t, h) for t, h in zip(column_totals, self.column_totals)],
            grand_total=render(sum(row_totals), self.grand_total),
        )


def suppress_table(
    cells: Sequence[Sequence[int]],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    column_totals_published: bool = True,
) -> SuppressedTable:
    """Hide the counts from 1 to ``threshold``, cells and totals alike, then enough others that
    no hidden figure can be recovered (see the module's docstring).

    With ``column_totals_published`` False, the column totals are never shown (they come
    out hidden, but for those of 0, which the published zeros of their column give away):
    cycles may then run through them at no cost, and fewer other figures need hiding."""
    grid = _extended(cells, threshold)
    m, n = len(grid) - 1, len(grid[0]) - 1
    primary = {
        (i, j)
        for i, row in enumerate(grid)
        for j, value in enumerate(row)
        if 1 <= abs(value) <= threshold
    }
    unshown = set()
    if not column_totals_published:
        unshown = {(m, j) for j in range(n) if grid[m][j]}
        primary -= {(m, j) for j in range(n)}
    hidden = primary | unshown
    arcs = _all_arcs(grid)
    for entry in sorted(primary):
        if any(_closed_by_hidden(arcs, hidden, entry, arc) for arc in _arcs(grid, entry)):
            continue  # already on a cycle of hidden entries: the cheap check, done first
        closings = [
            closing
            for arc in _arcs(grid, entry)
            if (closing := _cheapest_path(arcs, grid, hidden, entry, arc)) is not None
        ]
        if not closings:
            raise RuntimeError(f"No cycle through {entry}, which the module docstring rules out")
        _, path = min(closings, key=lambda closing: closing[0])
        hidden |= path
    return SuppressedTable(
        counts=[list(row) for row in cells],
        cells=[[(i, j) in hidden for j in range(n)] for i in range(m)],
        row_totals=[(i, n) in hidden for i in range(m)],
        column_totals=[(m, j) in hidden for j in range(n)],
        grand_total=(m, n) in hidden,
    )


def _extended(cells: Sequence[Sequence[int]], threshold: int) -> list[list[int]]:
    """The cells bordered by their negated row and column totals, and the grand total: every
    line of this grid sums to zero, so totals need no special case."""
    if threshold < 0:
        raise ValueError(f"The threshold must not be negative: {threshold}")
    columns = len(cells[0]) if cells else 0
    if any(len(row) != columns for row in cells):
        raise ValueError("All rows of a table must have the same number of cells")
    if any(count < 0 for row in cells for count in row):
        raise ValueError("Counts of people must not be negative")
    grid = [[*row, -sum(row)] for row in cells]
    column_totals = [sum(row[j] for row in cells) for j in range(columns)]
    grid.append([-total for total in column_totals] + [sum(column_totals)])
    return grid


def _arcs(grid: list[list[int]], entry: _Entry) -> list[tuple[int, int]]:
    """The moves of an entry the attacker cannot rule out, as arcs between nodes: rows are
    0..m, columns follow. Raising the count is always possible; lowering it only from 2 on,
    since a hidden count is known to be at least 1. The first arc raises it."""
    i, j = entry
    row, column = i, len(grid) + j
    value = grid[i][j]
    # Totals are negated in the grid: raising a total lowers its entry, column→row.
    rise = (row, column) if value > 0 else (column, row)
    return [rise, (rise[1], rise[0])] if abs(value) >= 2 else [rise]


def _all_arcs(grid: list[list[int]]) -> dict[int, list[tuple[int, _Entry]]]:
    """From each node, the arcs of every non-zero entry: zeros are never hidden."""
    arcs: dict[int, list[tuple[int, _Entry]]] = {}
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value:
                for start, end in _arcs(grid, (i, j)):
                    arcs.setdefault(start, []).append((end, (i, j)))
    return arcs


def _closed_by_hidden(
    arcs: dict[int, list[tuple[int, _Entry]]], hidden: set[_Entry], entry: _Entry, arc: tuple[int, int]
) -> bool:
    """Whether hidden entries other than ``entry`` lead back from the end of ``arc`` to its start."""
    start, goal = arc[1], arc[0]
    seen, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for end, step in arcs.get(node, []):
            if end not in seen and step != entry and step in hidden:
                seen.add(end)
                frontier.append(end)
    return False


def _cheapest_path(
    arcs: dict[int, list[tuple[int, _Entry]]],
    grid: list[list[int]],
    hidden: set[_Entry],
    entry: _Entry,
    arc: tuple[int, int],
) -> tuple[_Cost, set[_Entry]] | None:
    """The cheapest path back from the end of ``arc`` to its start, avoiding ``entry``, which
    closes a cycle through ``arc``: its cost and the published entries it would hide."""
    start, goal = arc[1], arc[0]
    best: dict[int, _Cost] = {start: (0, 0)}
    came_from: dict[int, tuple[int, _Entry]] = {}
    queue: list[tuple[_Cost, int]] = [((0, 0), start)]
    while queue:
        cost, node = heapq.heappop(queue)
        if node == goal:
            break
        if cost > best[node]:
            continue
        for end, step in arcs.get(node, []):
            if step == entry:
                continue
            i, j = step
            price = (0, 0) if step in hidden else (abs(grid[i][j]), 1)
            new = (cost[0] + price[0], cost[1] + price[1])
            if end not in best or new < best[end]:
                best[end] = new
                came_from[end] = (node, step)
                heapq.heappush(queue, (new, end))
    if goal not in best:
        return None
    path: set[_Entry] = set()
    node = goal
    while node != start:
        node, step = came_from[node]
        path.add(step)
    return best[goal], path - hidden
