"""A release's answers flattened to paths ("national.peer_workers", "regions.84.peer_workers"):
what tells which figures a later record moved."""

from collections.abc import Iterator
from typing import Any

Figures = dict[str, float | str]  # by path: "national.peer_workers": 1020 or "suppressed"


def moved(before: Figures, after: Figures) -> list[str]:
    """The paths whose figure changed, appeared or went."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def flatten(path: str, value: Any) -> Iterator[tuple[str, float | str]]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float | str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(f"{path}.{key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from flatten(f"{path}.{_name(item, index)}", item)


# Rows by what names them (a région's code, a year, a kind of session), so that a row
# added before them does not read as every later row having moved.
_NAMING = ("code", "year", "kind", "audience")


def _name(row: Any, index: int) -> str:
    names = [str(row[key]) for key in _NAMING if isinstance(row, dict) and key in row]
    if isinstance(row, dict) and "year" in row and "region" in row:
        # The report's collective table: a row per year and région (null: France).
        names.append(str(row["region"]))
    return "-".join(names) or str(index)
