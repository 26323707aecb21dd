"""The ports the views are kept behind: what projections and reads ask of a database, and
what a store's location and its storage must do. No database driver here: the SQLite file
(``storage.sqlite``) and the PostgreSQL schema (``storage.postgres``) implement them."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, Self, TypeVar

Params = Sequence[Any] | dict[str, Any]
Rows = TypeVar("Rows")


class Cursor(Protocol):
    """The part of a DB-API cursor the projections and reads use, with SQLite's
    placeholders (``?``, ``:name``) on either database."""

    def execute(self, sql: str, params: Params = ..., /) -> "Cursor": ...
    def executemany(self, sql: str, params: Iterable[Params], /) -> object: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Views(Protocol):
    """The views as the reads see them (``store.StatisticsStore``)."""

    def read(self, query: Callable[[Cursor, str], Rows], as_of: date) -> Rows:
        """Runs ``query`` for the end of ``as_of`` on one snapshot of the views."""
        ...


class Storage(Protocol):
    """An open store: one writer, and readers each on a snapshot of their own."""

    location: "Location"
    migrated: list[str]  # the migrations opening it applied

    def transaction(self) -> AbstractContextManager[Cursor]: ...
    def snapshot(self) -> AbstractContextManager[Cursor]: ...
    def comparison(
        self, other: Self
    ) -> AbstractContextManager[tuple[Cursor, str, str, list[tuple[str, str]]]]:
        """A snapshot where this store's tables are prefixed with the first name and
        ``other``'s with the second; and this store's (table, column) pairs."""
        ...
    def make_durable(self) -> None: ...
    def close(self) -> None: ...


class Location(Protocol):
    name: str

    def open(self, migrations: Path, durable: bool) -> Storage:
        """Opens the store, applying the migrations of the folder ``migrations`` it lacks."""
        ...
    def in_use(self) -> Self:
        """This store, or the last rebuild's that a switch recorded here."""
        ...
    def fresh(self, now: datetime) -> Self:
        """A new store beside this one, for a rebuild started ``now``."""
        ...
    def point_to(self, other: Self) -> None:
        """Records that ``other`` is in use from now on."""
        ...


class Releases(Protocol):
    """The releases made, each version kept (``storage.releases.ReleaseStore``)."""

    def versions(self) -> dict[date, list["ReleaseVersion"]]:
        """Every release's versions, oldest first, by reference day."""
        ...
    def figures(self, day: date, version: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The version's published figures, and the exact ones it was made from, by path."""
        ...
    def answer(self, day: date, version: int, key: str) -> Any:
        """One protected answer of the version (None: it holds no such answer)."""
        ...
    def add(
        self, version: "ReleaseVersion", answers: dict[str, Any], published: dict[str, Any], exact: dict[str, Any]
    ) -> None: ...


@dataclass(frozen=True)
class ReleaseVersion:
    day: date
    version: int
    published_at: datetime
    moved: list[str]  # the figures that changed from the version before; empty for the first
