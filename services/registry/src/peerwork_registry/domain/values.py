"""Checks of single values, shared by the aggregates and the HTTP schemas."""

from datetime import date

from peerwork_contracts import geography
from peerwork_contracts.calendar import today

from .errors import InvalidValueError

# La Poste's establishments share one SIREN and use their own check rule.
_LA_POSTE_SIREN = "356000000"


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


def check_siret(siret: str) -> str:
    """A SIRET is 14 digits whose Luhn checksum is valid."""
    if len(siret) != 14 or not siret.isdigit():
        raise InvalidValueError(f"{siret!r} is not a SIRET: expected 14 digits")
    valid = _luhn_sum(siret) % 10 == 0
    if siret.startswith(_LA_POSTE_SIREN):
        valid = valid or sum(int(digit) for digit in siret) % 5 == 0
    if not valid:
        raise InvalidValueError(f"{siret!r} is not a valid SIRET: its check digit is wrong")
    return siret


def _luhn_sum(digits: str) -> int:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total


def check_name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidValueError(f"the {what} must not be blank")
    return cleaned
