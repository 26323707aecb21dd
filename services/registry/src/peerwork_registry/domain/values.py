"""Checks of single values, shared by the aggregates and the HTTP schemas."""

import unicodedata

from peerwork_common.domain.errors import InvalidValueError
from peerwork_common.domain.values import check_departement, check_effective_date, check_name

__all__ = ["check_departement", "check_effective_date", "check_name", "check_reason", "check_siret", "normalised_name"]

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


# Words that say what kind of body a structure is rather than which one: "Association Le
# Relais" and "Le Relais" are the same structure typed twice. Only these: dropping articles
# or "centre", "foyer" would make different structures of a town look alike.
_GENERIC_WORDS = frozenset({"association", "asso", "assoc"})


def normalised_name(name: str) -> str:
    """The name as the duplicate check compares it: without case, accents, punctuation,
    extra spaces or the generic words above ("Association L'Étape" reads "l etape")."""
    unaccented = "".join(
        character for character in unicodedata.normalize("NFKD", name.casefold())
        if not unicodedata.combining(character)
    )
    words = "".join(character if character.isalnum() else " " for character in unaccented).split()
    specific = [word for word in words if word not in _GENERIC_WORDS]
    # A name made only of generic words (or of no letter at all) is compared as it is.
    return " ".join(specific or words) or unaccented
