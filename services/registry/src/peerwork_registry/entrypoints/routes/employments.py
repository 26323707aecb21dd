"""A peer worker's employments by partner structures: recorded, listed, ended."""

from uuid import UUID

from fastapi import status

from peerwork_common.http.access import Staff, check_territory, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.refusals import refusals
from peerwork_common.http.schemas import Created
from peerwork_common.security.auth import STAFF

from ..deps import RegistryDep
from ..schemas import EndEmployment, RecordEmployment
from ..views import EmploymentView, PeerWorkerView
from .peer_workers import COMMAND, GONE, PEER_WORKER, audited, in_reach

# Staff only (admins too), as for the rest of the record.
router = protected_router(STAFF, prefix="/peer-workers", tags=["peer workers"], responses=refusals(422))


@router.post(
    "/{peer_worker_id}/employments", status_code=status.HTTP_201_CREATED, responses=COMMAND
)
def record_employment(
    peer_worker_id: UUID, command: RecordEmployment, registry: RegistryDep, identity: Staff
) -> Created:
    """Record that a partner structure employs the peer worker (both in the token's territory)."""
    in_reach(registry, peer_worker_id, identity)
    if identity.territory is not None:
        structure = registry.get_structure(command.structure_id)
        check_territory(identity, structure.departement, f"partner structure {command.structure_id}")
    employment_id = registry.record_employment(
        peer_worker_id, command.structure_id, command.starts_on, command.ends_on
    )
    return Created(id=employment_id)


@router.get("/{peer_worker_id}/employments", responses={**refusals(404), **GONE})
def list_employments(
    peer_worker_id: UUID, registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> list[EmploymentView]:
    """List the peer worker's employments, past and current."""
    peer_worker = registry.get_peer_worker(peer_worker_id, identity.covers)
    audit.record_read(peer_worker_id, PEER_WORKER)
    return [EmploymentView.of(employment) for employment in peer_worker.employments.values()]


@router.post("/{peer_worker_id}/employments/{employment_id}/end", responses=COMMAND)
def end_employment(
    peer_worker_id: UUID,
    employment_id: UUID,
    command: EndEmployment,
    registry: RegistryDep,
    audit: AuditLogDep,
    identity: Staff,
) -> PeerWorkerView:
    """End one of the peer worker's employments."""
    in_reach(registry, peer_worker_id, identity)
    registry.end_employment(peer_worker_id, employment_id, command.ends_on)
    return audited(registry, peer_worker_id, audit, identity)
