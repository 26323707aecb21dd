"""A peer network's events as published."""

from collections.abc import Callable
from functools import partial

from eventsourcing.domain import DomainEvent

from peerwork_common.messaging.publication import contract_event
from peerwork_contracts import accompaniment as contract
from peerwork_contracts.envelope import Event

from ..domain.peer_network import PeerNetwork


def _formed(event_class: type[Event], domain_event: PeerNetwork.Formed | PeerNetwork.Corrected, position: int) -> Event:
    return contract_event(
        event_class,
        domain_event,
        position,
        domain_event.formed_on,
        contract.PeerNetworkFormedPayload(
            region=domain_event.region, departement=domain_event.departement, name=domain_event.name
        ),
    )


def _ended(
    event_class: type[Event], domain_event: PeerNetwork.Ended | PeerNetwork.EndRetracted, position: int
) -> Event:
    return contract_event(
        event_class,
        domain_event,
        position,
        domain_event.ended_on,
        contract.PeerNetworkPayload(region=domain_event.region, departement=domain_event.departement),
    )


def _meeting_held(domain_event: PeerNetwork.MeetingHeld, position: int) -> Event:
    return contract_event(
        contract.MeetingHeld,
        domain_event,
        position,
        domain_event.held_on,
        contract.MeetingHeldPayload(
            region=domain_event.region,
            departement=domain_event.departement,
            meeting_id=domain_event.meeting_id,
            kind=domain_event.kind,
            hours=domain_event.hours,
            peer_worker_ids=tuple(domain_event.peer_worker_ids),
            other_participants=domain_event.other_participants,
        ),
    )


def _meeting_corrected(domain_event: PeerNetwork.MeetingCorrected, position: int) -> Event:
    return contract_event(
        contract.MeetingCorrected,
        domain_event,
        position,
        domain_event.held_on,
        contract.MeetingCorrectedPayload(
            region=domain_event.region,
            departement=domain_event.departement,
            meeting_id=domain_event.meeting_id,
            kind=domain_event.kind,
            hours=domain_event.hours,
            other_participants=domain_event.other_participants,
            peer_workers_added=tuple(domain_event.peer_workers_added),
            peer_workers_removed=tuple(domain_event.peer_workers_removed),
        ),
    )


def _meeting_retracted(domain_event: PeerNetwork.MeetingRetracted, position: int) -> Event:
    return contract_event(
        contract.MeetingRetracted,
        domain_event,
        position,
        domain_event.held_on,
        contract.MeetingPayload(
            region=domain_event.region,
            departement=domain_event.departement,
            meeting_id=domain_event.meeting_id,
        ),
    )


PUBLISHED: dict[type[DomainEvent], Callable[..., Event]] = {
    PeerNetwork.Formed: partial(_formed, contract.PeerNetworkFormed),
    PeerNetwork.Corrected: partial(_formed, contract.PeerNetworkCorrected),
    PeerNetwork.Ended: partial(_ended, contract.PeerNetworkEnded),
    PeerNetwork.EndRetracted: partial(_ended, contract.PeerNetworkEndRetracted),
    PeerNetwork.MeetingHeld: _meeting_held,
    PeerNetwork.MeetingCorrected: _meeting_corrected,
    PeerNetwork.MeetingRetracted: _meeting_retracted,
}
