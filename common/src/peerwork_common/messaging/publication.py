"""Turning a stored domain event into its public contract event, the same way in every service."""

from datetime import date

from eventsourcing.domain import DomainEvent

from peerwork_contracts.envelope import Event, Payload


def contract_event(
    event_class: type[Event],
    domain_event: DomainEvent,
    position: int,
    occurred_at: date,
    payload: Payload,
) -> Event:
    """``position`` is the domain event's notification id; ``occurred_at`` its effective date."""
    return event_class.build(
        occurred_at=occurred_at,
        recorded_at=domain_event.timestamp,
        position=position,
        aggregate_id=domain_event.originator_id,
        aggregate_version=domain_event.originator_version,
        payload=payload,
    )
