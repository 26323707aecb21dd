"""Field types every service's HTTP commands share, so that a bad value gets the same
field-level 422 everywhere."""

from datetime import date
from uuid import UUID
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from peerwork_contracts.calendar import today

from .values import check_departement, check_effective_date

DepartementCode = Annotated[
    str, Field(examples=["38"], description="INSEE COG code"), AfterValidator(check_departement)
]
EffectiveDate = Annotated[
    date,
    Field(default_factory=today, description="When the fact took effect (default today)"),
    AfterValidator(lambda day: check_effective_date(day)),
]


class Command(BaseModel):
    """A request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Created(BaseModel):
    """The id of what a command created."""

    id: UUID
