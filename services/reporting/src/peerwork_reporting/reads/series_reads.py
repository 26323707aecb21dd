"""The reads a yearly series needs, all on one snapshot of the views: the store brings
them up to date once for the whole series, not once per year. While the consumer catches
up, a batch lands between any two reads, and a series of separate reads made the store
fold and recompute its monthly totals again for each of its years."""

from dataclasses import dataclass
from datetime import date

from peerwork_common.domain.values import EARLIEST_EFFECTIVE_DATE

from ..ports import Cursor
from .activity_reads import AccompanimentRows, accompaniment_rows
from .census_reads import CensusRow, census_rows, first_day


@dataclass
class YearEnd:
    year: int
    day: date  # 31 December, or the series' last day
    census: dict[str, CensusRow]
    accompaniments: AccompanimentRows


def year_ends(cursor: Cursor, day: str) -> list[YearEnd]:
    """From the year of the first fact to ``day``'s, each year's views at its end."""
    first = first_day(cursor, day)
    if first is None:
        return []
    last = date.fromisoformat(day)
    # A fact dated before the earliest effective date (recorded before it was enforced)
    # still counts in every year's census; the years before it are not listed, so a year-1
    # date costs no more than one in 2000.
    start = max(date.fromisoformat(first).year, EARLIEST_EFFECTIVE_DATE.year)
    ends = [min(date(year, 12, 31), last) for year in range(start, last.year + 1)]
    return [
        YearEnd(end.year, end, census_rows(cursor, end.isoformat()), accompaniment_rows(cursor, end.isoformat()))
        for end in ends
    ]
