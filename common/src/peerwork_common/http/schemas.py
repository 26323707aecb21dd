"""Field types every service's HTTP commands share, so that a bad value gets the same
field-level 422 everywhere."""

import re
from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from peerwork_common.domain.values import (
    EARLIEST_EFFECTIVE_DATE,
    PLANNED_YEARS_AHEAD,
    check_departement,
    check_effective_date,
    check_planned_date,
    check_region,
)
from peerwork_contracts.calendar import today

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    # pydantic alone takes a number as seconds since 1970: 0 (or "0") for 1 January 1970.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("expected a day as YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]
DepartementCode = Annotated[
    str, Field(examples=["38"], description="INSEE COG code"), AfterValidator(check_departement)
]
RegionCode = Annotated[
    str, Field(examples=["84"], description="INSEE COG code of a région"), AfterValidator(check_region)
]
EffectiveDate = Annotated[
    Day,
    Field(
        default_factory=today,
        description=f"When the fact took effect (default today): from {EARLIEST_EFFECTIVE_DATE} to today",
    ),
    AfterValidator(lambda day: check_effective_date(day)),
]

PlannedDay = Annotated[
    Day,
    Field(description=f"From {EARLIEST_EFFECTIVE_DATE} to the end of the {PLANNED_YEARS_AHEAD}th year ahead"),
    AfterValidator(lambda day: check_planned_date(day)),
]


class Command(BaseModel):
    """A request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Created(BaseModel):
    """The id of what a command created."""

    id: UUID
