"""Disclosure control: small counts are hidden, and an attacker holding the published table
cannot work any hidden figure back out of it.

Figures are addressed as in the table bordered by its totals: (i, j) for a cell, (i, n) for the
total of row i, (m, j) for the total of column j and (m, n) for the grand total."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from peerwork_reporting.disclosure.suppression import (
    SUPPRESSED,
    PublishedCount,
    PublishedTable,
    SuppressedTable,
    suppress_table,
)

Position = tuple[int, int]


class Attacker:
    """Everything that follows from a published table: hidden figures are whole numbers from 1
    (zeros are always published) to ``bound``, and each line adds up to its total.

    The search is exhaustive: bounds are propagated along the lines to a fixpoint, then the
    box is split in two until every hidden figure has one value. Whatever assignment it finds
    is consistent with the published table; a ``bound`` at least the grand total loses none."""

    def __init__(self, table: PublishedTable, bound: int) -> None:
        # Totals negated so that every line sums to zero, as in the module: but rebuilt here
        # from the published figures alone.
        grid: list[list[PublishedCount]] = [
            [*row, _negated(total)] for row, total in zip(table.cells, table.row_totals)
        ]
        grid.append([_negated(total) for total in table.column_totals] + [table.grand_total])
        self.bound = bound
        self.positions: list[Position] = [
            (i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if v == SUPPRESSED
        ]
        index = {position: k for k, position in enumerate(self.positions)}
        last_row, last_column = len(grid) - 1, len(grid[0]) - 1
        lines = [[(i, j) for j in range(last_column + 1)] for i in range(last_row + 1)]
        lines += [[(i, j) for i in range(last_row + 1)] for j in range(last_column + 1)]
        # Each line: the sum its hidden figures must make, and their signs in the grid.
        self.lines: list[tuple[int, list[tuple[int, int]]]] = []
        for line in lines:
            published = sum(v for i, j in line if (v := grid[i][j]) != SUPPRESSED)
            signs = [
                (index[(i, j)], -1 if (i == last_row) != (j == last_column) else 1)
                for i, j in line
                if grid[i][j] == SUPPRESSED
            ]
            self.lines.append((-published, signs))

    def can_take(self, position: Position, low: int, high: int) -> bool:
        lows = [1] * len(self.positions)
        highs = [self.bound] * len(self.positions)
        k = self.positions.index(position)
        lows[k], highs[k] = max(low, 1), min(high, self.bound)
        return self._search(lows, highs)

    def values(self, position: Position) -> set[int]:
        return {v for v in range(1, self.bound + 1) if self.can_take(position, v, v)}

    def recovers(self, position: Position, value: int) -> bool:
        return not (
            self.can_take(position, 1, value - 1) or self.can_take(position, value + 1, self.bound)
        )

    def _search(self, lows: list[int], highs: list[int]) -> bool:
        if not self._propagate(lows, highs):
            return False
        undecided = [k for k in range(len(lows)) if lows[k] < highs[k]]
        if not undecided:
            return True
        k = min(undecided, key=lambda k: highs[k] - lows[k])
        middle = (lows[k] + highs[k]) // 2
        return self._search(lows[:], highs[:k] + [middle] + highs[k + 1 :]) or self._search(
            lows[:k] + [middle + 1] + lows[k + 1 :], highs[:]
        )

    def _propagate(self, lows: list[int], highs: list[int]) -> bool:
        changed = True
        while changed:
            changed = False
            for target, members in self.lines:
                least = sum(lows[k] if s > 0 else -highs[k] for k, s in members)
                most = sum(highs[k] if s > 0 else -lows[k] for k, s in members)
                if not least <= target <= most:
                    return False
                for k, s in members:
                    own_least, own_most = (lows[k], highs[k]) if s > 0 else (-highs[k], -lows[k])
                    # What the others can make leaves this much for this figure (times s).
                    a, b = target - (most - own_most), target - (least - own_least)
                    low, high = (a, b) if s > 0 else (-b, -a)
                    if low > lows[k]:
                        lows[k], changed = low, True
                    if high < highs[k]:
                        highs[k], changed = high, True
                    if lows[k] > highs[k]:
                        return False
        return True


def _negated(figure: PublishedCount) -> PublishedCount:
    return figure if figure == SUPPRESSED else -figure


def hidden_figures(table: SuppressedTable) -> dict[Position, int]:
    m, n = len(table.cells), len(table.cells[0])
    figures: dict[Position, int] = {}
    for i, row in enumerate(table.counts):
        figures |= {(i, j): count for j, count in enumerate(row) if table.cells[i][j]}
        if table.row_totals[i]:
            figures[(i, n)] = sum(row)
    for j in range(n):
        if table.column_totals[j]:
            figures[(m, j)] = sum(row[j] for row in table.counts)
    if table.grand_total:
        figures[(m, n)] = sum(map(sum, table.counts))
    return figures


def assert_nothing_recoverable(table: SuppressedTable, column_totals_published: bool = True) -> None:
    """Unpublished column totals may well be recovered: they are no one's secret."""
    attacker = Attacker(table.published(), bound=2 * sum(map(sum, table.counts)) + 2)
    m = len(table.cells)
    for position, value in hidden_figures(table).items():
        if column_totals_published or position[0] != m or position[1] == len(table.cells[0]):
            assert not attacker.recovers(position, value), (position, value, table.published())


def published(cells: list[list[int]], hidden: set[Position]) -> PublishedTable:
    """A table hidden by hand, as a naive method might."""
    m, n = len(cells), len(cells[0])
    grid = [[*row, sum(row)] for row in cells]
    grid.append([sum(row[j] for row in cells) for j in range(n)] + [sum(map(sum, cells))])
    shown = [
        [SUPPRESSED if (i, j) in hidden else v for j, v in enumerate(row)]
        for i, row in enumerate(grid)
    ]
    return PublishedTable(
        cells=[row[:n] for row in shown[:m]],
        row_totals=[row[n] for row in shown[:m]],
        column_totals=shown[m][:n],
        grand_total=shown[m][n],
    )


# The attacker has teeth: patterns with two hidden figures in every line that still leak.


def test_two_hidden_ones_in_a_line_are_known_to_be_ones():
    cells = [[1, 1, 50], [1, 1, 50], [50, 50, 50]]
    attacker = Attacker(published(cells, {(0, 0), (0, 1), (1, 0), (1, 1)}), bound=500)
    assert attacker.values((0, 0)) == {1}
    assert attacker.recovers((1, 1), 1)


def test_a_hidden_cell_linking_two_blocks_of_hidden_cells_is_their_difference():
    cells = [[20, 21, 22, 23], [24, 25, 26, 27], [28, 29, 30, 31], [32, 33, 34, 35]]
    blocks = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)}
    attacker = Attacker(published(cells, blocks | {(1, 2)}), bound=1000)
    assert attacker.values((1, 2)) == {26}
    assert not attacker.recovers((0, 0), 20)


def test_a_hidden_total_is_the_grand_total_less_the_other_totals():
    cells = [[2, 3], [40, 50]]
    attacker = Attacker(published(cells, {(0, 0), (0, 1), (0, 2)}), bound=500)
    assert attacker.values((0, 2)) == {5}


# What suppress_table hides.


def test_a_table_without_small_counts_is_published_whole():
    table = suppress_table([[20, 30], [0, 50]])
    assert table.published() == PublishedTable(
        cells=[[20, 30], [0, 50]], row_totals=[50, 50], column_totals=[20, 80], grand_total=100
    )


def test_zeros_are_published_and_never_hidden():
    table = suppress_table([[0, 4, 0], [0, 30, 40], [0, 25, 35]])
    assert [row[0] for row in table.published().cells] == [0, 0, 0]
    assert table.published().column_totals[0] == 0


def test_a_small_cell_is_hidden_with_the_cheapest_cells_closing_a_rectangle():
    # 3 alone in its row would be its total less the rest: 20 in its row hides it, which in
    # turn needs a partner in its column, 40, whose row needs 30: the cheapest rectangle.
    table = suppress_table([[3, 20, 25], [30, 40, 50], [60, 70, 80]])
    assert table.cells == [[True, True, False], [True, True, False], [False, False, False]]
    assert not any(table.row_totals) and not any(table.column_totals) and not table.grand_total
    assert_nothing_recoverable(table)


def test_the_threshold_is_inclusive_and_a_setting():
    assert suppress_table([[10, 20], [30, 40]]).cells[0][0]
    assert not suppress_table([[11, 20], [30, 40]]).cells[0][0]
    assert not suppress_table([[10, 20], [30, 40]], threshold=5).cells[0][0]
    assert not any(map(any, suppress_table([[1, 2], [3, 0]], threshold=0).cells))


def test_hidden_figures_say_so():
    table = suppress_table([[3, 20, 25], [30, 40, 50]]).published()
    assert table.cells[0][0] == "suppressed"
    assert json.loads(json.dumps(table.__dict__))["cells"][0][:2] == ["suppressed", "suppressed"]

    class Figure(BaseModel):
        count: PublishedCount

    assert Figure(count=SUPPRESSED).model_dump_json() == '{"count":"suppressed"}'
    assert Figure.model_validate_json('{"count": 12}').count == 12


def test_a_small_row_total_is_hidden_with_another_row_total():
    # Otherwise the grand total less the other row totals would give it back.
    table = suppress_table([[2, 3, 0], [20, 30, 40], [25, 35, 45]])
    assert table.row_totals[0]
    assert sum(table.row_totals) >= 2 or table.grand_total
    assert table.published().cells[0][2] == 0
    assert_nothing_recoverable(table)


def test_a_small_grand_total_hides_every_figure_but_zeros():
    table = suppress_table([[1, 2], [0, 3]]).published()
    assert table == PublishedTable(
        cells=[[SUPPRESSED, SUPPRESSED], [0, SUPPRESSED]],
        row_totals=[SUPPRESSED, SUPPRESSED],
        column_totals=[SUPPRESSED, SUPPRESSED],
        grand_total=SUPPRESSED,
    )


def test_ones_are_not_protected_by_each_other_alone():
    table = suppress_table([[1, 1, 50], [1, 1, 50], [50, 50, 50]])
    assert sum(map(sum, table.cells)) > 4
    assert_nothing_recoverable(table)


def test_a_list_is_a_table_with_one_column():
    # Départements of a région: the smallest other count goes with the small one.
    table = suppress_table([[4], [25], [30], [12]])
    assert [row[0] for row in table.cells] == [True, False, False, True]
    assert table.row_totals == [row[0] for row in table.cells]
    assert table.published().column_totals == [71]
    assert_nothing_recoverable(table)


def test_malformed_tables_are_refused():
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[1, -1]])
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError, match="threshold"):
        suppress_table([[1]], threshold=-1)


# The guarantee, on random tables.

counts = st.one_of(st.just(0), st.integers(1, 10), st.integers(11, 40))
tables = st.integers(1, 4).flatmap(
    lambda n: st.lists(st.lists(counts, min_size=n, max_size=n), min_size=1, max_size=4)
)


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(0, 10), st.booleans())
def test_small_counts_are_hidden_and_no_hidden_figure_is_recoverable(cells, threshold, column_totals):
    table = suppress_table(cells, threshold, column_totals_published=column_totals)
    figures = hidden_figures(table)
    assert all(value >= 1 for value in figures.values())
    n = len(cells[0])
    everything = [*((i, n) for i in range(len(cells))), (len(cells), n)]
    everything += [(i, j) for i in range(len(cells) + 1) for j in range(n)]
    for i, j in everything:
        value = _figure(cells, i, j)
        assert (1 <= value <= threshold) <= ((i, j) in figures)
    assert_nothing_recoverable(table, column_totals)


def _figure(cells: list[list[int]], i: int, j: int) -> int:
    rows = cells if i == len(cells) else [cells[i]]
    columns = range(len(cells[0])) if j == len(cells[0]) else [j]
    return sum(row[c] for row in rows for c in columns)


def test_unpublished_column_totals_close_cycles_at_no_cost():
    # Régions as rows and their départements in the cells, as reporting lays them out:
    # Bretagne, with nothing small, is published whole.
    cells = [[30, 8, 0], [2, 0, 0], [12, 15, 40]]
    table = suppress_table(cells, 10, column_totals_published=False)
    assert table.cells[2] == [False, False, False] and not table.row_totals[2]
    assert not table.grand_total
    assert table.row_totals[1] and table.cells[1][0]  # Île-de-France's 2
    assert_nothing_recoverable(table, column_totals_published=False)
