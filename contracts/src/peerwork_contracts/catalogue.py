"""Every public event, found by subject: what a subscriber needs to parse the bus."""

from pydantic import ValidationError

from . import accompaniment, registry
from .envelope import Event

EVENTS: tuple[type[Event], ...] = registry.EVENTS + accompaniment.EVENTS
BY_SUBJECT: dict[str, type[Event]] = {event.subject(): event for event in EVENTS}


class UnknownEventError(ValueError):
    """The subject names no event of this version of the contracts."""


def parse(subject: str, data: bytes) -> Event:
    """Parses a message body; raises UnknownEventError or pydantic.ValidationError."""
    try:
        event_class = BY_SUBJECT[subject]
    except KeyError:
        raise UnknownEventError(f"no public event is published on {subject!r}") from None
    return event_class.model_validate_json(data)


__all__ = ["BY_SUBJECT", "EVENTS", "UnknownEventError", "ValidationError", "parse"]
