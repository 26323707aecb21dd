"""The types of a verified token's claims. A signature says who issued a token, not that its
claims are what a service can use: a ``roles`` that is a number got a 500, one that is an
object had its keys taken for roles, a ``sub`` with a lone surrogate broke every answer and
log line that named it, and an ``exp`` written as text was taken for a date."""

import json
from typing import Any

_NUMERIC_DATES = ("exp", "nbf", "iat")


class ClaimError(ValueError):
    """A claim the token cannot be trusted with; the message names it."""


def check_claims(claims: dict[str, Any]) -> None:
    """Every claim Unicode text can carry, the dates numbers, ``sub`` non-blank text."""
    for name, value in claims.items():
        try:
            json.dumps([name, value], ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            escaped = name.encode("utf-8", "backslashreplace").decode("utf-8")
            raise ClaimError(f"the token's {escaped!r} claim holds a lone surrogate, which is no character") from None
    for name in _NUMERIC_DATES:
        value = claims.get(name)
        if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ClaimError(f"the token's {name!r} claim must be a number of seconds since 1970")
    if not isinstance(claims.get("sub"), str) or not claims["sub"].strip():
        raise ClaimError("the token's 'sub' claim must name who it is for")


def roles_of(claims: dict[str, Any], path: list[str]) -> frozenset[str]:
    """The roles at ``path`` (e.g. ``realm_access.roles``): a list of names, or one string of
    them separated by spaces, as some providers give; none when the claim is absent."""
    value: Any = claims
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(role, str) for role in value):
        raise ClaimError(f"the token's {'.'.join(path)!r} claim must be a list of role names")
    return frozenset(value)
