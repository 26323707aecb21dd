"""What applying a row comes to: added, unchanged (the row says what the record says), or
refused, with what is wrong and in which column."""

from collections.abc import Sequence
from enum import StrEnum

from peerwork_common.domain.errors import DomainError

from .layout import BY_KEY
from .rows import Row


class Outcome(StrEnum):
    ADDED = "added"
    UNCHANGED = "unchanged"


class RowRefused(DomainError):
    """What is wrong with a row, and in which column (a key of ``layout.COLUMNS``; None: the row)."""

    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column


class UnknownReference(RowRefused):
    """An employment names a structure or peer worker neither stored nor (yet) imported."""

    def __init__(self, column: str, reference: str) -> None:
        super().__init__(
            column, f"no {BY_KEY[column].english} has the reference {reference!r}, in this file or imported before"
        )
        self.reference = reference


def unchanged(
    row: Row, record: str, correction: str, pairs: dict[str, tuple[object, object]], also: Sequence[str] = ()
) -> Outcome:
    """UNCHANGED when the row says what the record says; else refused: an import adds, and a
    record is put right through the API, which asks why."""
    differences = [
        *also,
        *(
            f"{BY_KEY[key].english} {_shown(recorded)} there, {_shown(given)} here"
            for key, (recorded, given) in pairs.items()
            if recorded != given
        ),
    ]
    if not differences:
        return Outcome.UNCHANGED
    raise RowRefused(
        None,
        f"the row differs from {record}, imported before with this key: {'; '.join(differences)}. "
        f"Correct the record through the API ({correction}), or the row",
    )


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
