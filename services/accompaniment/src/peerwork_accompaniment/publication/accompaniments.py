"""An accompaniment's events as published."""

from collections.abc import Callable

from eventsourcing.domain import DomainEvent

from peerwork_common.messaging.publication import contract_event
from peerwork_contracts import accompaniment as contract
from peerwork_contracts.envelope import Event

from ..domain.accompaniment import Accompaniment


def _opened(domain_event: Accompaniment.Opened, position: int) -> Event:
    return contract_event(
        contract.AccompanimentOpened,
        domain_event,
        position,
        domain_event.requested_on,
        contract.AccompanimentOpenedPayload(
            structure_id=domain_event.structure_id,
            departement=domain_event.departement,
            channel=domain_event.channel,
        ),
    )


def _milestone_reached(domain_event: Accompaniment.MilestoneReached, position: int) -> Event:
    return contract_event(
        contract.MilestoneReached,
        domain_event,
        position,
        domain_event.occurred_on,
        contract.MilestoneReachedPayload(
            structure_id=domain_event.structure_id,
            departement=domain_event.departement,
            milestone=domain_event.milestone,
            ready=domain_event.ready,
        ),
    )


def _peer_worker_hired(domain_event: Accompaniment.PeerWorkerHired, position: int) -> Event:
    new_peer_worker = None
    if domain_event.new_peer_worker_departement is not None:
        new_peer_worker = contract.NewPeerWorker(
            departement=domain_event.new_peer_worker_departement,
            domains=domain_event.new_peer_worker_domains,
        )
    return contract_event(
        contract.PeerWorkerHired,
        domain_event,
        position,
        domain_event.occurred_on,
        contract.PeerWorkerHiredPayload(
            structure_id=domain_event.structure_id,
            departement=domain_event.departement,
            hiring_id=domain_event.hiring_id,
            peer_worker_id=domain_event.peer_worker_id,
            new_peer_worker=new_peer_worker,
            starts_on=domain_event.occurred_on,
            territory=domain_event.territory,
        ),
    )


def _closed(domain_event: Accompaniment.Closed, position: int) -> Event:
    return contract_event(
        contract.AccompanimentClosed,
        domain_event,
        position,
        domain_event.closed_on,
        contract.AccompanimentClosedPayload(
            structure_id=domain_event.structure_id,
            departement=domain_event.departement,
            outcome=domain_event.outcome,
        ),
    )


def _milestone_retracted(domain_event: Accompaniment.MilestoneRetracted, position: int) -> Event:
    return contract_event(
        contract.MilestoneRetracted,
        domain_event,
        position,
        domain_event.occurred_on,
        contract.MilestoneRetractedPayload(
            structure_id=domain_event.structure_id,
            departement=domain_event.departement,
            milestone=domain_event.milestone,
            still_reached_on=domain_event.still_reached_on,
            hiring_id=domain_event.hiring_id,
            peer_worker_id=domain_event.peer_worker_id,
        ),
    )


def _reopened(domain_event: Accompaniment.Reopened, position: int) -> Event:
    return contract_event(
        contract.AccompanimentReopened,
        domain_event,
        position,
        domain_event.closed_on,
        contract.AccompanimentReopenedPayload(
            structure_id=domain_event.structure_id,
            departement=domain_event.departement,
            outcome=domain_event.outcome,
        ),
    )


PUBLISHED: dict[type[DomainEvent], Callable[..., Event]] = {
    Accompaniment.Opened: _opened,
    Accompaniment.MilestoneReached: _milestone_reached,
    Accompaniment.PeerWorkerHired: _peer_worker_hired,
    Accompaniment.Closed: _closed,
    Accompaniment.MilestoneRetracted: _milestone_retracted,
    Accompaniment.Reopened: _reopened,
}
