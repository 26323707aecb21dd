"""What the registry publishes: each stored domain event as its public contract event.

The display name and anything else personal stays out: the contract models have no
field for it, nor for a correction's reason. Internal aggregates (the SIRET and name
indexes) publish nothing, nor does a survivor's note of a record merged into it
(``PeerWorker.Absorbed``): what it took in follows as events of its own.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from eventsourcing.domain import DomainEvent

from peerwork_common.messaging.publication import contract_event
from peerwork_contracts import registry as contract
from peerwork_contracts.envelope import Event, Payload

from .domain.partner_structure import PartnerStructure
from .domain.peer_worker import PeerWorker

# What a domain event is published as: the contract event's class, the day it took effect, its payload.
Published = tuple[type[Event], date, Payload]


def to_contract(domain_event: DomainEvent, position: int) -> Event | None:
    publish = PUBLISHED.get(type(domain_event))
    if publish is None:
        return None
    event_class, occurred_at, payload = publish(domain_event)
    return contract_event(event_class, domain_event, position, occurred_at, payload)


def _structure_registered(registered: PartnerStructure.Registered) -> Published:
    return contract.PartnerStructureRegistered, registered.effective_on, contract.PartnerStructureRegisteredPayload(
        name=registered.name, siret=registered.siret, departement=registered.departement, sector=registered.sector,
    )


def _structure_corrected(corrected: PartnerStructure.Corrected) -> Published:
    # Dated as the registration: counted as if it had been registered so. The
    # reason stays in the registry.
    return contract.PartnerStructureCorrected, corrected.effective_on, contract.PartnerStructureCorrectedPayload(
        name=corrected.name,
        siret=corrected.siret,
        departement=corrected.departement,
        sector=corrected.sector,
        corrected=tuple(corrected.corrected),
    )


def _registered(registered: PeerWorker.Registered) -> Published:
    return contract.PeerWorkerRegistered, registered.effective_on, contract.PeerWorkerRegisteredPayload(
        departement=registered.departement, domains=registered.domains
    )


def _moved(moved: PeerWorker.Moved) -> Published:
    return contract.PeerWorkerMoved, moved.effective_on, contract.PeerWorkerMovedPayload(
        from_departement=moved.from_departement, to_departement=moved.to_departement
    )


def _withdrawn(withdrawn: PeerWorker.Withdrawn) -> Published:
    return contract.PeerWorkerWithdrawn, withdrawn.effective_on, contract.PeerWorkerWithdrawnPayload(
        departement=withdrawn.departement
    )


def _erased(erased: PeerWorker.Erased) -> Published:
    return contract.PeerWorkerErased, erased.effective_on, contract.PeerWorkerErasedPayload()


def _employment_recorded(recorded: PeerWorker.EmploymentRecorded) -> Published:
    return contract.EmploymentRecorded, recorded.starts_on, contract.EmploymentRecordedPayload(
        employment_id=recorded.employment_id,
        structure_id=recorded.structure_id,
        starts_on=recorded.starts_on,
        ends_on=recorded.ends_on,
    )


def _employment_ended(ended: PeerWorker.EmploymentEnded) -> Published:
    return contract.EmploymentEnded, ended.ends_on, contract.EmploymentEndedPayload(
        employment_id=ended.employment_id, structure_id=ended.structure_id, ends_on=ended.ends_on
    )


# Corrections and merges without a date of their own take the day they were recorded.


def _registration_corrected(corrected: PeerWorker.RegistrationCorrected) -> Published:
    return (
        contract.PeerWorkerRegistrationCorrected,
        corrected.registered_on,
        contract.PeerWorkerRegistrationCorrectedPayload(
            departement=corrected.departement,
            registered_on=corrected.registered_on,
            domains=corrected.domains,
            now_in=corrected.now_in,
        ),
    )


def _employment_corrected(corrected: PeerWorker.EmploymentCorrected) -> Published:
    return contract.EmploymentCorrected, corrected.starts_on, contract.EmploymentCorrectedPayload(
        employment_id=corrected.employment_id,
        structure_id=corrected.structure_id,
        starts_on=corrected.starts_on,
        ends_on=corrected.ends_on,
    )


def _employment_cancelled(cancelled: PeerWorker.EmploymentCancelled) -> Published:
    return contract.EmploymentCancelled, cancelled.recorded_on, contract.EmploymentCancelledPayload(
        employment_id=cancelled.employment_id, structure_id=cancelled.structure_id
    )


def _reinstated(reinstated: PeerWorker.Reinstated) -> Published:
    return contract.PeerWorkerReinstated, reinstated.recorded_on, contract.PeerWorkerReinstatedPayload(
        departement=reinstated.departement,
        reopened=tuple(
            contract.ReopenedEmployment(employment_id=employment_id, ends_on=ends_on)
            for employment_id, ends_on in reinstated.reopened
        ),
    )


def _merged(merged: PeerWorker.Merged) -> Published:
    return contract.PeerWorkerMerged, merged.recorded_on, contract.PeerWorkerMergedPayload(into=merged.into)


# Each published domain event, by its class (an event is never of a subclass of these).
PUBLISHED: dict[type[DomainEvent], Callable[[Any], Published]] = {
    PartnerStructure.Registered: _structure_registered,
    PartnerStructure.Corrected: _structure_corrected,
    PeerWorker.Registered: _registered,
    PeerWorker.Moved: _moved,
    PeerWorker.Withdrawn: _withdrawn,
    PeerWorker.Erased: _erased,
    PeerWorker.EmploymentRecorded: _employment_recorded,
    PeerWorker.EmploymentEnded: _employment_ended,
    PeerWorker.RegistrationCorrected: _registration_corrected,
    PeerWorker.EmploymentCorrected: _employment_corrected,
    PeerWorker.EmploymentCancelled: _employment_cancelled,
    PeerWorker.Reinstated: _reinstated,
    PeerWorker.Merged: _merged,
}
