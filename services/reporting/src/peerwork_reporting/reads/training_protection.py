"""The participants of the training sessions as published: the trainings table protected
row by row (``disclosure.rows``), a row per period, and the figures summed from the rows."""

from collections.abc import Callable
from dataclasses import dataclass

from ..disclosure.rows import hidden_in_row
from ..disclosure.suppression import SUPPRESSED, PublishedCount, Revision, render
from .training_statistics import TrainingFigures

Cell = tuple[int, str, str]  # (year, kind, audience)


@dataclass(frozen=True)
class ParticipantsRow:
    """One row of the trainings table as published: the participants of the sessions of a
    period (a release's, or a year) by cell, and their total."""

    cells: dict[Cell, PublishedCount]
    total: PublishedCount

    def model(self) -> dict:
        return {
            "cells": [
                {"year": year, "kind": kind, "audience": audience, "participants": count}
                for (year, kind, audience), count in sorted(self.cells.items())
            ],
            "participants": self.total,
        }

    @classmethod
    def from_model(cls, model: dict) -> "ParticipantsRow":
        cells = {(c["year"], c["kind"], c["audience"]): c["participants"] for c in model["cells"]}
        return cls(cells, model["participants"])


def cells_of(figures: TrainingFigures) -> dict[Cell, int]:
    return {(row.year, row.kind.value, row.audience.value): row.participants for row in figures.by_year}  # type: ignore[misc]


def protect_row(
    cells: dict[Cell, int], threshold: int, revision: Revision | None = None, path: str = ""
) -> ParticipantsRow:
    """The row protected (``disclosure.rows``); in a revision, ``path`` is where the earlier
    version holds it."""

    def named(cell: Cell | None) -> str:
        return f"{path}.participants" if cell is None else f"{path}.cells.{'-'.join(map(str, cell))}.participants"

    hidden, total_hidden = hidden_in_row(cells, threshold, revision, named)
    return ParticipantsRow(
        {cell: render(count, cell in hidden) for cell, count in cells.items()},
        render(sum(cells.values()), total_hidden),
    )


def protect_by_year(figures: TrainingFigures, threshold: int) -> list[ParticipantsRow]:
    """The any-day figures' rows: each year's sessions, protected on their own."""
    cells = cells_of(figures)
    return [
        protect_row({cell: n for cell, n in cells.items() if cell[0] == year}, threshold)
        for year in sorted({cell[0] for cell in cells})
    ]


def protect_participants(
    figures: TrainingFigures, threshold: int, rows: list[ParticipantsRow] | None = None
) -> TrainingFigures:
    """The figures with their participants as ``rows`` publish them (by default, each year
    protected on its own): a cell is the sum of its parts in the rows, a total by kind or by
    audience the sum of its cells, the whole the sum of the rows' totals; any of them with a
    hidden part is hidden. Limited to a région or a département, participants are suppressed
    altogether: set against the national figures they would give away the rest of France's."""
    if figures.region is not None or figures.departement is not None:
        hidden_all = {"participants": SUPPRESSED}
        return figures.model_copy(update={
            **hidden_all,
            "exact": False,
            "by_kind": [k.model_copy(update=hidden_all) for k in figures.by_kind],
            "by_audience": [a.model_copy(update=hidden_all) for a in figures.by_audience],
            "by_year": [y.model_copy(update=hidden_all) for y in figures.by_year],
        })
    rows = protect_by_year(figures, threshold) if rows is None else rows
    parts: dict[Cell, list[PublishedCount]] = {}
    for row in rows:
        for cell, count in row.cells.items():
            parts.setdefault(cell, []).append(count)
    cells = {cell: _sum(counts) for cell, counts in parts.items()}

    def total(matches: Callable[[Cell], bool]) -> PublishedCount:
        return _sum([count for cell, count in cells.items() if matches(cell)])

    return figures.model_copy(update={
        "exact": False,
        "participants": _sum([row.total for row in rows]),
        "by_kind": [
            k.model_copy(update={"participants": total(lambda cell, k=k: cell[1] == k.kind.value)})
            for k in figures.by_kind
        ],
        "by_audience": [
            a.model_copy(update={"participants": total(lambda cell, a=a: cell[2] == a.audience.value)})
            for a in figures.by_audience
        ],
        "by_year": [
            # A cell no row publishes (none should be) is hidden, never shown as 0.
            y.model_copy(update={"participants": cells.get((y.year, y.kind.value, y.audience.value), SUPPRESSED)})
            for y in figures.by_year
        ],
    })


def _sum(counts: list[PublishedCount]) -> PublishedCount:
    return SUPPRESSED if SUPPRESSED in counts else sum(counts)  # type: ignore[arg-type]
