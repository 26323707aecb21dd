"""A list kept by an eventsourcing ``Projection``: each domain event changes the view's
rows in the transaction that records its position."""

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from .view import ListView


class ListProjection(Projection[ListView]):
    """Subclasses say how an event changes the rows (``apply``), and may name the ``topics``
    of the events they read (the others are not even selected)."""

    @abstractmethod
    def apply(self, domain_event: DomainEventProtocol[Any], cursor: Any) -> None:
        """Changes the view's rows, through ``cursor``, as ``domain_event`` says (the event
        first, for ``functools.singledispatchmethod``)."""

    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        self.process_events([domain_event], tracking)

    def process_events(
        self, domain_events: Sequence[DomainEventProtocol[Any]], tracking: Tracking, *, rebuilding: bool = False
    ) -> None:
        """Applies ``domain_events``, the notifications up to ``tracking``, in one
        transaction; IntegrityError, and nothing changed, when the view is there already."""
        with self.view.changing(tracking, rebuilding=rebuilding) as cursor:
            for domain_event in domain_events:
                self.apply(domain_event, cursor)
