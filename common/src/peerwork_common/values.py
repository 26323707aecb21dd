"""Checks of single values that more than one service's domain needs. Plain Python."""

from datetime import date

from peerwork_contracts import geography
from peerwork_contracts.calendar import today

from .errors import InvalidValueError


def check_departement(code: str) -> str:
    try:
        return geography.departement(code).code
    except geography.UnknownDepartementError as error:
        raise InvalidValueError(str(error)) from None


# The platform began in 2015; a peer worker's or a structure's earlier history may be
# recorded, back to this day and no further. An earlier date is a typing slip (year 1 was
# taken), and every year it reached back would be a year for the statistics to go over.
EARLIEST_EFFECTIVE_DATE = date(2000, 1, 1)


def check_effective_date(effective_on: date, *, on: date | None = None) -> date:
    """Facts may be backdated to ``EARLIEST_EFFECTIVE_DATE``, never dated in the future."""
    if effective_on < EARLIEST_EFFECTIVE_DATE:
        raise InvalidValueError(
            f"{effective_on.isoformat()} is too early: facts are recorded from "
            f"{EARLIEST_EFFECTIVE_DATE.isoformat()} on (the platform began in 2015)"
        )
    reference = on or today()
    if effective_on > reference:
        raise InvalidValueError(
            f"{effective_on.isoformat()} is in the future: a fact can only be recorded "
            f"once it has taken effect (today is {reference.isoformat()})"
        )
    return effective_on


def check_name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidValueError(f"the {what} must not be blank")
    return cleaned
