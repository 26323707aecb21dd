"""What the accompaniment publishes: each stored domain event as its public contract event.

What a structure asks, why it is not ready, notes and the reasons of corrections stay here:
they are free text and may speak of people. Participants are named by pseudonymous id or
counted.

One small function per domain event, in the module of its aggregate; an event none of them
names is not published.
"""

from eventsourcing.domain import DomainEvent

from peerwork_contracts.envelope import Event

from . import accompaniments, peer_networks, training_sessions

PUBLISHED = {**accompaniments.PUBLISHED, **training_sessions.PUBLISHED, **peer_networks.PUBLISHED}


def to_contract(domain_event: DomainEvent, position: int) -> Event | None:
    published = PUBLISHED.get(type(domain_event))
    return None if published is None else published(domain_event, position)
