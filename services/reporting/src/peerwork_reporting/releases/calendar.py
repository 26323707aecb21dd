"""The reference dates of the releases: 31 December of each closed year from the first
year holding a fact, and, when set, the closed quarter ends too. A date is closed once it
is past in France: a release made on its own day would miss what is recorded later that day."""

from datetime import date

from peerwork_common.domain.values import EARLIEST_EFFECTIVE_DATE

QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def release_days(first_fact: date | None, today: date, quarter_ends: bool) -> list[date]:
    """Oldest first; none before the first fact (a release of nothing tells nothing), nor
    before the earliest effective date (a fact dated in year 1, recorded before the bound
    was enforced, counts from then on, as in a series)."""
    if first_fact is None:
        return []
    first_fact = max(first_fact, EARLIEST_EFFECTIVE_DATE)
    ends = QUARTER_ENDS if quarter_ends else QUARTER_ENDS[-1:]
    days = (date(year, month, day) for year in range(first_fact.year, today.year + 1) for month, day in ends)
    return [day for day in days if first_fact <= day < today]


def first_release_day(today: date, quarter_ends: bool) -> date:
    """The next reference date, for a platform that holds a fact today."""
    return next(day for day in release_days(today, date(today.year + 1, 12, 31), quarter_ends) if day >= today)
