"""Versions of a subject published side by side.

A breaking change ships as a new subject version (``.v2``), and the older version keeps
being published beside it for at least ``MINIMUM_MONTHS`` (see "Evolution policy" in the
README): ``SIDE_BY_SIDE`` says which, keyed by the newer subject. The services map their
stored events to the newest version only; the relay derives each older copy from it
(``older_copies``) and publishes the copies first, each with the ``COPY_OF_HEADER`` naming
the newest subject, then the newest, all with the same event id and position.

No entry is removed, as no baseline is: once retired (``retires_on``), an older version is
derived no more for the events recorded from that day, and the entry stays as the record of
when it was published (the compatibility gate requires it of every released version a newer
one replaced).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from . import subjects
from .envelope import Event, Payload
from .evolution import OffContractError, off_contract

MINIMUM_MONTHS = 12
# What every version of an event shares: the same fact, at the same place in its source's log.
ENVELOPE = ("event_id", "source", "occurred_at", "recorded_at", "position", "aggregate_id", "aggregate_version")


@dataclass(frozen=True)
class OlderVersion:
    """An older version of a subject, published beside the newer one."""

    event: type[Event]  # the older version's contract
    derive: Callable[[Event], Event]  # pure: the older version of an event of the newer one
    newer_released_on: date  # the day the newer version was first published
    retires_on: date  # events recorded from this day on are published without this copy


# The newer subject: the older version published beside it. Empty: no subject has a second version.
SIDE_BY_SIDE: dict[str, OlderVersion] = {}


def copy_as(event_class: type[Event], newer: Event, payload: Payload) -> Event:
    """``newer`` as an event of ``event_class``, its older version, with ``payload``: what a
    ``derive`` returns."""
    return event_class(**{field: getattr(newer, field) for field in ENVELOPE}, payload=payload)


def older_copies(event: Event, side_by_side: dict[str, OlderVersion] | None = None) -> list[Event]:
    """The copies of ``event`` in the older versions published beside it, oldest first (each
    derived from the next newer one); OffContractError when a derivation is not the same
    fact, or not on its contract."""
    side_by_side = SIDE_BY_SIDE if side_by_side is None else side_by_side
    copies, newer = [], event
    while (older := side_by_side.get(newer.subject())) is not None:
        copy = older.derive(newer)
        if problems := _not_a_copy(copy, older, newer, event):
            raise OffContractError(f"{older.event.subject()} derived from {event.subject()}: " + "; ".join(problems))
        if event.recorded_at.date() < older.retires_on:
            copies.append(copy)
        newer = copy
    return copies[::-1]


def newer_subjects(subject: str, side_by_side: dict[str, OlderVersion] | None = None) -> list[str]:
    """The subjects of the newer versions ``subject`` is published beside, newest first."""
    side_by_side = SIDE_BY_SIDE if side_by_side is None else side_by_side
    newer = {older.event.subject(): newer for newer, older in side_by_side.items()}
    found = []
    while (subject := newer.get(subject)) is not None and subject not in found:
        found.append(subject)
    return found[::-1]


def _not_a_copy(copy: Event, older: OlderVersion, newer: Event, event: Event) -> list[str]:
    if type(copy) is not older.event:
        return [f"a {type(copy).__name__}, not a {older.event.__name__}"]
    if subjects.version_of(copy.subject())[1] >= subjects.version_of(newer.subject())[1]:
        return ["not an older version"]
    changed = [field for field in ENVELOPE if getattr(copy, field) != getattr(event, field)]
    return [f"{field} differs from the newest's" for field in changed] + off_contract(copy)
