"""What the page is made of: a section is a title and its content (a few sentences, its
charts and its tables), computed from a ``Context``; a table's cells say whether a figure is
secret or a number, for the template to set them apart."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..disclosure.suppression import SUPPRESSED
from ..ports import ReleaseVersion
from . import french
from .annual_report import AnnualReport


@dataclass(frozen=True)
class Cell:
    text: str
    secret: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Content:
    paragraphs: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # SVG, each with its alternative text
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    report: AnnualReport
    threshold: int
    release: ReleaseVersion | None  # None: exact figures, or protected ones of a day not released
    revisions: Sequence[ReleaseVersion]
    # Each Auvergne-Rhône-Alpes département's series (its code: its years), as released.
    demand: dict[str, list[dict]] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    content: Callable[[Context], Content]


def cell(value: Any, share: bool = False) -> Cell:
    if value == SUPPRESSED:
        return Cell(french.SECRET, secret=True, numeric=True)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Cell(french.label(str(value)) if value is not None else "–")
    return Cell(french.percent(value) if share else french.number(value), numeric=True)


def table(caption: str, columns: Sequence[str], rows: Sequence[dict], shares: Sequence[str] = ()) -> Table:
    return Table(
        caption,
        [french.label(c) for c in columns],
        [[Cell(str(row[c])) if c == "year" else cell(row[c], c in shares) for c in columns] for row in rows],
    )
