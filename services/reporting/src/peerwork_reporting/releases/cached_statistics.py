"""The statistics a release is made of, read and protected once: a release asks the same
rows and the same census of every région and département."""

from collections.abc import Callable
from datetime import date
from typing import Any

from ..disclosure.suppression import Revision
from ..ports import Cursor, Rows, Views
from ..reads.census_reads import CensusRow
from ..reads.census_statistics import Census
from ..reads.statistics import Statistics


class ReadOnce:
    """The views, each query read once per day: a release asks the same rows of every
    région and département, and reading them again would multiply its cost by 400."""

    def __init__(self, views: Views) -> None:
        self._views = views
        self._rows: dict[tuple[Callable, date], Any] = {}

    def read(self, query: Callable[[Cursor, str], Rows], as_of: date) -> Rows:
        if (query, as_of) not in self._rows:
            self._rows[query, as_of] = self._views.read(query, as_of)
        return self._rows[query, as_of]


class OncePerTable(Statistics):
    """Each census protected once: every région's and département's answer would protect the
    whole census again (400 times a day). The day's own census is protected with ``revision``."""

    def __init__(self, views: Views, threshold: int, revision: Revision | None) -> None:
        super().__init__(ReadOnce(views), threshold)
        self._revision = revision
        self._tables: dict[tuple[int, bool], tuple[object, Census]] = {}

    def _census(self, rows: dict[str, CensusRow], exact: bool) -> Census:
        key = (id(rows), exact)  # the rows are read once (ReadOnce) and kept with it
        if key not in self._tables:
            self._tables[key] = (rows, Census(rows, None if exact else self._threshold, self._revision))
        return self._tables[key][1]
