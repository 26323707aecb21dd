"""Which participants figures of one row of the trainings table are published: the sessions of
one period (a release's, or a year) by kind and audience, with the row's total (see
``suppression`` for the promise).

Participants are counts of people; zeros are published, so a hidden cell is known to hold at
least one person. A cell is hidden (primary) when it holds 1 to the threshold people, or, in a
revision, when it moved by 1 to the threshold, or the earlier version hid it and it did not
move; the total likewise. Then, until nothing changes:

- the row holds no hidden figure or at least two (one alone is the total minus the rest);
- under a published total, the ``h`` hidden cells hold together at least threshold + h people,
  and, in a revision, did not move together by a small amount.

Each rule hides the smallest published cell with participants, or, when none is left, the
total. Then each hidden cell may hold more than the threshold: give the others one person each
and it the rest. A row is protected once, in the release of its period, and quoted as it was
by every later release: the same sessions are never protected twice in two ways.
"""

from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

from .suppression import Revision, small

Cell = TypeVar("Cell", bound=Hashable)


def hidden_in_row(
    cells: Mapping[Cell, int],
    threshold: int,
    revision: Revision | None = None,
    path: Callable[[Cell | None], str] | None = None,
) -> tuple[set[Cell], bool]:
    """The cells of the row hidden, and whether its total is. In a revision, ``path`` names a
    cell's participants figure (``None``: the total's) in the earlier version."""
    total = sum(cells.values())

    def primary(cell: Cell | None, count: int) -> bool:
        if small(count, threshold):
            return True
        if revision is None or path is None:
            return False
        change = revision.change(path(cell), count)
        return small(change, threshold) or (revision.hid(path(cell)) and not change)

    hidden = {cell for cell, count in cells.items() if primary(cell, count)}
    total_hidden = primary(None, total)
    while True:
        count = len(hidden) + total_hidden
        if count == 0 or (count >= 2 and (total_hidden or not _gives_away(cells, hidden, threshold, revision, path))):
            return hidden, total_hidden
        candidates = sorted((n, str(c), c) for c, n in cells.items() if c not in hidden and (n or count == 1))
        if candidates:
            hidden.add(candidates[0][2])
        elif not total_hidden:
            total_hidden = True
        else:
            return hidden, total_hidden  # everything hidden


def _gives_away(
    cells: Mapping[Cell, int],
    hidden: set[Cell],
    threshold: int,
    revision: Revision | None,
    path: Callable[[Cell | None], str] | None,
) -> bool:
    group = sum(cells[cell] for cell in hidden)
    if 0 < group < threshold + len(hidden):  # 0: the hidden cells are known empty, nobody
        return True
    if revision is None or path is None:
        return False
    return small(sum(revision.change(path(cell), cells[cell]) for cell in hidden), threshold)
