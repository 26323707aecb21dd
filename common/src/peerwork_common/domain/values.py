"""Checks of single values that more than one service's domain needs. Plain Python."""

import unicodedata
from datetime import date

from peerwork_common.domain.errors import InvalidValueError
from peerwork_contracts import geography
from peerwork_contracts.calendar import today


def check_departement(code: str) -> str:
    try:
        return geography.departement(code).code
    except geography.UnknownDepartementError as error:
        raise InvalidValueError(str(error)) from None


def check_region(code: str) -> str:
    try:
        return geography.region(code).code
    except geography.UnknownRegionError as error:
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


# How far ahead a day may be planned (a training session, an employment's known end).
PLANNED_YEARS_AHEAD = 10


def check_planned_date(planned_on: date, *, on: date | None = None) -> date:
    """A day planned ahead lies between ``EARLIEST_EFFECTIVE_DATE`` and the end of the
    ``PLANNED_YEARS_AHEAD``-th year from now: year 1 or 9999 is a typing slip, and a year
    the statistics would have to go over."""
    latest = date((on or today()).year + PLANNED_YEARS_AHEAD, 12, 31)
    if not EARLIEST_EFFECTIVE_DATE <= planned_on <= latest:
        raise InvalidValueError(
            f"{planned_on.isoformat()} is out of range: a day is planned from "
            f"{EARLIEST_EFFECTIVE_DATE.isoformat()} to {latest.isoformat()}"
        )
    return planned_on


def check_name(name: str, what: str) -> str:
    """``name`` with its runs of blanks made one space; refused when it shows nothing, or
    holds what a name has no use for and may hide behind: control characters (NUL among
    them), lone surrogates, and bidirectional controls, which change how the name reads."""
    cleaned = " ".join(name.split())
    for character in cleaned:
        code = f"U+{ord(character):04X}"
        if unicodedata.category(character) in ("Cc", "Cs"):
            raise InvalidValueError(f"the {what} must not hold control characters ({code} here)")
        if character in _BIDI_CONTROLS:
            raise InvalidValueError(
                f"the {what} must not hold bidirectional controls ({code} here), which change how it reads"
            )
    if all(unicodedata.category(character) in _UNSEEN or character in _BLANK for character in cleaned):
        raise InvalidValueError(f"the {what} must not be blank: it must show at least one visible character")
    return cleaned


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Spaces, format characters (zero-width space, soft hyphen, BOM), combining marks with
# nothing to combine with; and the letters and symbols drawn as nothing (Hangul fillers,
# the blank Braille pattern).
_UNSEEN = frozenset({"Zs", "Cf", "Mn", "Me"})
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")
