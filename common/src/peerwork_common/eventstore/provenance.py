"""Who caused each stored event, and in which request: kept beside the event in the event
store, never in the aggregate nor on the bus.

The entrypoint that acts (a protected HTTP route, a consumer of another service's events)
says who is acting with ``acting_as``; ``ProvenanceMapper`` writes it into each event it
stores while that lasts, and takes it out again when the event is read back, so aggregates,
snapshots and the relay's contract events never see it. ``provenance_of`` reads it back.
With it goes the trace context the entrypoint acted in (``tracing``), from which the relay
continues the trace when it publishes the event.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent

from peerwork_common.trace_context import current_context

# Beside the event's own attributes in its stored state; no domain attribute starts with "_".
_KEY = "_provenance"


@dataclass(frozen=True)
class Provenance:
    """``by``: the token's subject, or the service whose event caused this one;
    ``request_id``: the HTTP request's id; ``cause``: the id of the event that caused it;
    ``traceparent`` and ``tracestate``: the W3C trace context it was stored in, if traced."""

    by: str
    request_id: str | None = None
    cause: str | None = None
    traceparent: str | None = None
    tracestate: str | None = None

    @property
    def trace_context(self) -> dict[str, str]:
        """As a carrier for ``trace_context.context_of``."""
        return {key: value for key in ("traceparent", "tracestate") if (value := getattr(self, key))}


_acting: ContextVar[Provenance | None] = ContextVar("peerwork_acting", default=None)


def acting() -> Provenance | None:
    """Who is acting in this context, if anyone said so."""
    return _acting.get()


@contextmanager
def acting_as(provenance: Provenance) -> Iterator[Provenance]:
    """Every event stored in this context (and in threads started from it) carries
    ``provenance``, and the trace context this is entered in."""
    token = _acting.set(replace(provenance, **current_context()) if provenance.traceparent is None else provenance)
    try:
        yield provenance
    finally:
        _acting.reset(token)


# Worked out once per provenance, not once per event: an import stores 20,000 events under
# one, and ``asdict`` (12 µs) was an eighth of its mapper's time (py-spy, 10,000 rows).
@lru_cache(maxsize=256)
def _recorded(provenance: Provenance) -> dict[str, str]:
    return {key: value for key, value in asdict(provenance).items() if value is not None}


class ProvenanceMapper(Mapper[UUID]):
    """Stores who is acting with each event; strips it when events are read back."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        provenance = acting()
        if provenance is None:  # saved outside any entrypoint (scripts, tests): nothing to say
            return super().to_stored_event(domain_event)
        # A copy of the event, with the provenance among the attributes the base mapper
        # encodes: the aggregate's own event stays as it was.
        stored = copy.copy(domain_event)
        vars(stored)[_KEY] = dict(_recorded(provenance))
        return super().to_stored_event(stored)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        domain_event = super().to_domain_event(stored_event)
        vars(domain_event).pop(_KEY, None)
        return domain_event

    def provenance_of(self, stored_event: StoredEvent) -> Provenance | None:
        """Who caused the stored event, if that was recorded."""
        state = stored_event.state
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        recorded: dict[str, Any] | None = self.transcoder.decode(state).get(_KEY)
        return Provenance(**recorded) if recorded else None

