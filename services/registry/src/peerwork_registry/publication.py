"""What the registry publishes: each stored domain event as its public contract event.

The display name and anything else personal stays out: the contract models have no
field for it, nor for a correction's reason. Internal aggregates (the SIRET and name
indexes) publish nothing, nor does a survivor's note of a record merged into it
(``PeerWorker.Absorbed``): what it took in follows as events of its own.
"""

from eventsourcing.domain import DomainEvent

from peerwork_common.messaging.publication import contract_event
from peerwork_contracts import registry as contract
from peerwork_contracts.envelope import Event

from .domain.partner_structure import PartnerStructure
from .domain.peer_worker import PeerWorker


def to_contract(domain_event: DomainEvent, position: int) -> Event | None:
    match domain_event:
        case PartnerStructure.Registered():
            return contract_event(
                contract.PartnerStructureRegistered,
                domain_event,
                position,
                domain_event.effective_on,
                contract.PartnerStructureRegisteredPayload(
                    name=domain_event.name,
                    siret=domain_event.siret,
                    departement=domain_event.departement,
                    sector=domain_event.sector,
                ),
            )
        case PartnerStructure.Corrected():
            # Dated as the registration: counted as if it had been registered so. The
            # reason stays in the registry.
            return contract_event(
                contract.PartnerStructureCorrected,
                domain_event,
                position,
                domain_event.effective_on,
                contract.PartnerStructureCorrectedPayload(
                    name=domain_event.name,
                    siret=domain_event.siret,
                    departement=domain_event.departement,
                    sector=domain_event.sector,
                    corrected=tuple(domain_event.corrected),
                ),
            )
        case PeerWorker.Registered():
            return contract_event(
                contract.PeerWorkerRegistered,
                domain_event,
                position,
                domain_event.effective_on,
                contract.PeerWorkerRegisteredPayload(
                    departement=domain_event.departement, domains=domain_event.domains
                ),
            )
        case PeerWorker.Moved():
            return contract_event(
                contract.PeerWorkerMoved,
                domain_event,
                position,
                domain_event.effective_on,
                contract.PeerWorkerMovedPayload(
                    from_departement=domain_event.from_departement,
                    to_departement=domain_event.to_departement,
                ),
            )
        case PeerWorker.Withdrawn():
            return contract_event(
                contract.PeerWorkerWithdrawn,
                domain_event,
                position,
                domain_event.effective_on,
                contract.PeerWorkerWithdrawnPayload(departement=domain_event.departement),
            )
        case PeerWorker.Erased():
            return contract_event(
                contract.PeerWorkerErased,
                domain_event,
                position,
                domain_event.effective_on,
                contract.PeerWorkerErasedPayload(),
            )
        case PeerWorker.EmploymentRecorded():
            return contract_event(
                contract.EmploymentRecorded,
                domain_event,
                position,
                domain_event.starts_on,
                contract.EmploymentRecordedPayload(
                    employment_id=domain_event.employment_id,
                    structure_id=domain_event.structure_id,
                    starts_on=domain_event.starts_on,
                    ends_on=domain_event.ends_on,
                ),
            )
        case PeerWorker.EmploymentEnded():
            return contract_event(
                contract.EmploymentEnded,
                domain_event,
                position,
                domain_event.ends_on,
                contract.EmploymentEndedPayload(
                    employment_id=domain_event.employment_id,
                    structure_id=domain_event.structure_id,
                    ends_on=domain_event.ends_on,
                ),
            )
    return _correction(domain_event, position)


def _correction(domain_event: DomainEvent, position: int) -> Event | None:
    # Corrections and merges without a date of their own take the day they were recorded.
    match domain_event:
        case PeerWorker.RegistrationCorrected():
            return contract_event(
                contract.PeerWorkerRegistrationCorrected,
                domain_event,
                position,
                domain_event.registered_on,
                contract.PeerWorkerRegistrationCorrectedPayload(
                    departement=domain_event.departement,
                    registered_on=domain_event.registered_on,
                    domains=domain_event.domains,
                    now_in=domain_event.now_in,
                ),
            )
        case PeerWorker.EmploymentCorrected():
            return contract_event(
                contract.EmploymentCorrected,
                domain_event,
                position,
                domain_event.starts_on,
                contract.EmploymentCorrectedPayload(
                    employment_id=domain_event.employment_id,
                    structure_id=domain_event.structure_id,
                    starts_on=domain_event.starts_on,
                    ends_on=domain_event.ends_on,
                ),
            )
        case PeerWorker.EmploymentCancelled():
            return contract_event(
                contract.EmploymentCancelled,
                domain_event,
                position,
                domain_event.recorded_on,
                contract.EmploymentCancelledPayload(
                    employment_id=domain_event.employment_id, structure_id=domain_event.structure_id
                ),
            )
        case PeerWorker.Reinstated():
            return contract_event(
                contract.PeerWorkerReinstated,
                domain_event,
                position,
                domain_event.recorded_on,
                contract.PeerWorkerReinstatedPayload(
                    departement=domain_event.departement,
                    reopened=tuple(
                        contract.ReopenedEmployment(employment_id=employment_id, ends_on=ends_on)
                        for employment_id, ends_on in domain_event.reopened
                    ),
                ),
            )
        case PeerWorker.Merged():
            return contract_event(
                contract.PeerWorkerMerged,
                domain_event,
                position,
                domain_event.recorded_on,
                contract.PeerWorkerMergedPayload(into=domain_event.into),
            )
    return None

