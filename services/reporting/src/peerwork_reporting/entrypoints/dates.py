"""The days and years a reading may ask for: from the earliest effective date a command
accepts to the end of the current year in France. Refused rather than clamped, so that
the answer never speaks of another day than the one asked; and bounded, so that no
parameter makes a request go over years that hold no fact (a series from year 1 or to
9999)."""

from datetime import date
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator

from peerwork_common.domain.values import EARLIEST_EFFECTIVE_DATE
from peerwork_common.http.schemas import Day
from peerwork_contracts.calendar import today

FIRST_YEAR = EARLIEST_EFFECTIVE_DATE.year


def check_day(day: date | None) -> date | None:
    last = date(today().year, 12, 31)
    if day is not None and not EARLIEST_EFFECTIVE_DATE <= day <= last:
        raise ValueError(
            f"{day.isoformat()} is out of range: figures are read for a day from "
            f"{EARLIEST_EFFECTIVE_DATE.isoformat()} (the earliest effective date) to {last.isoformat()}"
        )
    return day


def check_year(year: int) -> int:
    current = today().year
    if not FIRST_YEAR <= year <= current:
        raise ValueError(
            f"{year} is out of range: a report is made for a year from {FIRST_YEAR} "
            f"(the earliest effective date's) to {current}, once the year has begun"
        )
    return year


AsOf = Annotated[
    Day | None,
    AfterValidator(check_day),
    Query(
        description="Figures as they stood at the end of this day, by effective date. The "
        "public: a release date (see /stats/releases; default the latest release). Analysts and "
        f"admins (a token): any day from {EARLIEST_EFFECTIVE_DATE.isoformat()} to 31 December of "
        "the current year (default today), exact with exact=true"
    ),
]
Year = Annotated[
    int,
    AfterValidator(check_year),
    Path(description=f"The report's year, figures as of its 31 December: from {FIRST_YEAR} to the current year"),
]
