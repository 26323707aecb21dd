"""What a durable consumer (``consumer``) feeds: a projection, and what it answers."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from peerwork_contracts.envelope import Event

# What came of a replayed message, when it was not refused again.
APPLIED = "applied"
UNCHANGED = "nothing to apply: applied already, or nothing this consumer keeps"


@dataclass(frozen=True)
class Refusal:
    """An event a projection could not apply, and why: it is parked, not lost."""

    event: Event
    reason: str


class Projection(Protocol):
    """Where the consumer's events go."""

    def last_sequence(self) -> int:
        """Stream sequence of the last message applied (0 before the first)."""

    def apply(self, events: Sequence[Event], last_sequence: int, parked: Sequence[int] = ()) -> Sequence[Refusal]:
        """Applies the events and records ``last_sequence``; returns the events refused.
        ``parked``: the stream sequences of the batch's messages parked as unreadable, for a
        projection that could not otherwise tell them, once replayed, from what it applied.

        Called in the event loop, so it must be quick: a local database write."""

    def replay(self, event: Event, sequence: int) -> str:
        """Applies ``event``, parked from stream sequence ``sequence``, unless it is applied
        already; returns APPLIED, UNCHANGED or why it is refused again."""
