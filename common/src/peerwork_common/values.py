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


def check_effective_date(effective_on: date, *, on: date | None = None) -> date:
    """Facts may be backdated, never dated in the future."""
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
