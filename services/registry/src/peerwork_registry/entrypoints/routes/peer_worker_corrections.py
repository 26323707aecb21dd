"""Mistakes in a peer worker's record put right, and a person registered twice merged.

Each correction says why (``reason``), which stays in the registry; the record then reads,
and the census counts, as if the mistake had never been made.
"""

from uuid import UUID

from peerwork_common.http.access import Staff, check_territory, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.refusals import refusals
from peerwork_common.security.auth import STAFF

from ..deps import RegistryDep
from ..schemas import CancelEmployment, CorrectEmployment, CorrectRegistration, MergePeerWorker, ReinstatePeerWorker
from ..views import PeerWorkerView
from .peer_workers import COMMAND, audited, in_reach

router = protected_router(STAFF, prefix="/peer-workers", tags=["peer workers"], responses=refusals(422))


@router.post("/{peer_worker_id}/correct-registration", responses=COMMAND)
def correct_registration(
    peer_worker_id: UUID, command: CorrectRegistration, registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> PeerWorkerView:
    """Put right what was typed at registration (département registered in, date, domains):
    no move is recorded, and the census counts as if it had been typed so."""
    in_reach(registry, peer_worker_id, identity)
    if command.departement is not None:
        check_territory(identity, command.departement, "a correction")
    registry.correct_registration(
        peer_worker_id, command.departement, command.registered_on, command.domains, command.reason
    )
    return audited(registry, peer_worker_id, audit, identity)


@router.post("/{peer_worker_id}/employments/{employment_id}/correct", responses=COMMAND)
def correct_employment(
    peer_worker_id: UUID,
    employment_id: UUID,
    command: CorrectEmployment,
    registry: RegistryDep,
    audit: AuditLogDep,
    identity: Staff,
) -> PeerWorkerView:
    """Put right an employment's dates (``ends_on`` null: still going on)."""
    in_reach(registry, peer_worker_id, identity)
    registry.correct_employment(
        peer_worker_id, employment_id, command.starts_on, command.ends_on, command.reason
    )
    return audited(registry, peer_worker_id, audit, identity)


@router.post("/{peer_worker_id}/employments/{employment_id}/cancel", responses=COMMAND)
def cancel_employment(
    peer_worker_id: UUID,
    employment_id: UUID,
    command: CancelEmployment,
    registry: RegistryDep,
    audit: AuditLogDep,
    identity: Staff,
) -> PeerWorkerView:
    """Cancel an employment recorded by mistake: it never counted. One recorded from an
    accompaniment's hiring (its `accompaniment_id`) is refused (409): retract the hiring in
    that accompaniment, which cancels the employment too."""
    in_reach(registry, peer_worker_id, identity)
    registry.cancel_employment(peer_worker_id, employment_id, command.reason)
    return audited(registry, peer_worker_id, audit, identity)


@router.post("/{peer_worker_id}/reinstate", responses=COMMAND)
def reinstate_peer_worker(
    peer_worker_id: UUID, command: ReinstatePeerWorker, registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> PeerWorkerView:
    """Undo a withdrawal recorded by mistake: the peer worker counts as if never withdrawn,
    and the employments the withdrawal ended are open again as they were."""
    in_reach(registry, peer_worker_id, identity)
    registry.reinstate_peer_worker(peer_worker_id, command.reason)
    return audited(registry, peer_worker_id, audit, identity)


@router.post("/{peer_worker_id}/merge", responses=COMMAND)
def merge_peer_worker(
    peer_worker_id: UUID, command: MergePeerWorker, registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> PeerWorkerView:
    """Merge a peer worker registered twice into their other record (``into``), which is
    read back: it takes the employments and domains, and counts from the earlier
    registration; this id answers 410 with ``merged_into`` from now on, and hirings that
    name it are recorded on the survivor."""
    in_reach(registry, peer_worker_id, identity)
    in_reach(registry, command.into, identity)
    registry.merge_peer_workers(peer_worker_id, command.into, command.reason)
    return audited(registry, command.into, audit, identity)
