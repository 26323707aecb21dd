from uuid import UUID

from fastapi import status

from peerwork_common.access import protected_router
from peerwork_common.audit_api import AuditLogDep
from peerwork_common.audit_log import AuditLog
from peerwork_common.auth import STAFF
from peerwork_common.refusals import refusals
from peerwork_common.schemas import Created

from ...application import Registry
from ..deps import RegistryDep
from ..schemas import (
    EmploymentView,
    EndEmployment,
    MovePeerWorker,
    PeerWorkerView,
    RecordEmployment,
    RegisterPeerWorker,
    WithdrawPeerWorker,
)

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/peer-workers", tags=["peer workers"], responses=refusals(422))

# Every route that answers with a person's record logs the read (``audited``).
PEER_WORKER = "peer worker"

# A command on a peer worker: they may be unknown, or the command contradict their record.
COMMAND = refusals(400, 404, 409, 413)


@router.post("", status_code=status.HTTP_201_CREATED, responses=refusals(400, 413))
def register_peer_worker(command: RegisterPeerWorker, registry: RegistryDep) -> Created:
    """Register a peer worker in the census."""
    peer_worker_id = registry.register_peer_worker(
        command.display_name, command.departement, command.domains, command.registered_on
    )
    return Created(id=peer_worker_id)


@router.get("/{peer_worker_id}", responses=refusals(404))
def get_peer_worker(peer_worker_id: UUID, registry: RegistryDep, audit: AuditLogDep) -> PeerWorkerView:
    """Read a peer worker's record, with their employments."""
    return audited(registry, peer_worker_id, audit)


@router.post(
    "/{peer_worker_id}/employments", status_code=status.HTTP_201_CREATED, responses=COMMAND
)
def record_employment(
    peer_worker_id: UUID, command: RecordEmployment, registry: RegistryDep
) -> Created:
    """Record that a partner structure employs the peer worker."""
    employment_id = registry.record_employment(
        peer_worker_id, command.structure_id, command.starts_on, command.ends_on
    )
    return Created(id=employment_id)


@router.get("/{peer_worker_id}/employments", responses=refusals(404))
def list_employments(peer_worker_id: UUID, registry: RegistryDep, audit: AuditLogDep) -> list[EmploymentView]:
    """List the peer worker's employments, past and current."""
    peer_worker = registry.get_peer_worker(peer_worker_id)
    audit.record_read(peer_worker_id, PEER_WORKER)
    return [EmploymentView.of(employment) for employment in peer_worker.employments.values()]


@router.post("/{peer_worker_id}/employments/{employment_id}/end", responses=COMMAND)
def end_employment(
    peer_worker_id: UUID, employment_id: UUID, command: EndEmployment, registry: RegistryDep, audit: AuditLogDep
) -> PeerWorkerView:
    """End one of the peer worker's employments."""
    registry.end_employment(peer_worker_id, employment_id, command.ends_on)
    return audited(registry, peer_worker_id, audit)


@router.post("/{peer_worker_id}/move", responses=COMMAND)
def move_peer_worker(
    peer_worker_id: UUID, command: MovePeerWorker, registry: RegistryDep, audit: AuditLogDep
) -> PeerWorkerView:
    """Move the peer worker to another département."""
    registry.move_peer_worker(peer_worker_id, command.departement, command.effective_on)
    return audited(registry, peer_worker_id, audit)


@router.post("/{peer_worker_id}/withdraw", responses=COMMAND)
def withdraw_peer_worker(
    peer_worker_id: UUID, command: WithdrawPeerWorker, registry: RegistryDep, audit: AuditLogDep
) -> PeerWorkerView:
    """Withdraw the peer worker from the census; their history is kept."""
    registry.withdraw_peer_worker(peer_worker_id, command.effective_on)
    return audited(registry, peer_worker_id, audit)


def audited(registry: Registry, peer_worker_id: UUID, audit: AuditLog) -> PeerWorkerView:
    """The peer worker's record, its read logged once it is found."""
    view = PeerWorkerView.of(registry.get_peer_worker(peer_worker_id))
    audit.record_read(peer_worker_id, PEER_WORKER)
    return view
