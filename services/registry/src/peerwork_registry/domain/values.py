"""Checks of single values, shared by the aggregates and the HTTP schemas."""

from peerwork_common.errors import InvalidValueError
from peerwork_common.values import check_departement, check_effective_date, check_name

__all__ = ["check_departement", "check_effective_date", "check_name", "check_reason", "check_siret"]

# La Poste's establishments share one SIREN and use their own check rule.
_LA_POSTE_SIREN = "356000000"


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


def check_reason(reason: str) -> str:
    """Why a correction was made: free text, checked as a name is."""
    return check_name(reason, "reason")


def _luhn_sum(digits: str) -> int:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total
