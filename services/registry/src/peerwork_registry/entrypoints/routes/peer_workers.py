"""A peer worker's record: registered, read, moved, withdrawn, and the legal basis it rests on.

Their employments (``employments``), corrections (``peer_worker_corrections``) and erasure
(``erasure``) have routes of their own, under the same prefix.
"""

from typing import Annotated
from uuid import UUID

from fastapi import Body, Depends, status

from peerwork_common.http.access import Staff, check_territory, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.exports import record_segment
from peerwork_common.http.refusals import refusals
from peerwork_common.http.schemas import Created
from peerwork_common.lists.page_api import DEFAULT_LIMIT, Cursor, Limit, Page, known_filters
from peerwork_common.security.audit_log import AuditLog
from peerwork_common.security.auth import STAFF, Identity

from ...application import Registry
from ..deps import ListsDep, RegistryDep
from ..list_filters import PeerWorkerFiltersDep, PeerWorkerSortQuery
from ..list_schemas import PeerWorkerItem
from ..schemas import MovePeerWorker, RecordLegalBasis, RegisterPeerWorker, WithdrawConsent, WithdrawPeerWorker
from ..views import MergedRefusal, PeerWorkerView

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/peer-workers", tags=["peer workers"], responses=refusals(422))

# Every route that answers with a person's record logs the read (``audited``).
PEER_WORKER = "peer worker"

# A record erased, or merged into another: the answer then names the one that stands.
GONE = {
    410: {
        "model": MergedRefusal,
        "description": "The person's record was erased at their request, or merged into another (merged_into)",
    }
}

# A command on a peer worker: they may be unknown, erased or merged, or the command
# contradict their record.
COMMAND = {**refusals(400, 404, 409, 413), **GONE}


@router.post("", status_code=status.HTTP_201_CREATED, responses=refusals(400, 413))
def register_peer_worker(command: RegisterPeerWorker, registry: RegistryDep, identity: Staff) -> Created:
    """Register a peer worker in the census (in a département of the token's territory)."""
    check_territory(identity, command.departement, "a peer worker")
    peer_worker_id = registry.register_peer_worker(
        command.display_name, command.departement, command.domains, command.registered_on,
        command.legal_basis.value(),
    )
    return Created(id=peer_worker_id)


@router.get("", dependencies=[Depends(known_filters)])
def list_peer_workers(
    lists: ListsDep,
    audit: AuditLogDep,
    identity: Staff,
    filters: PeerWorkerFiltersDep,
    sort: PeerWorkerSortQuery = "registered_on",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PeerWorkerItem]:
    """List the peer workers (of the token's territory), filtered, a page at a time; erased
    people are in no list. Each person on the page is logged in the audit as read."""
    rows, following = lists.peer_workers(filters, identity.reach, sort, cursor, limit)
    items = [PeerWorkerItem.of(row) for row in rows]
    audit.record_reads([item.id for item in items], PEER_WORKER)
    return Page[PeerWorkerItem](items=items, next=following)


@router.get(f"/{record_segment('peer_worker_id')}", responses={**refusals(404), **GONE})
def get_peer_worker(
    peer_worker_id: UUID, registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> PeerWorkerView:
    """Read a peer worker's record, with their employments."""
    return audited(registry, peer_worker_id, audit, identity)


@router.post("/{peer_worker_id}/move", responses=COMMAND)
def move_peer_worker(
    peer_worker_id: UUID, command: MovePeerWorker, registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> PeerWorkerView:
    """Move the peer worker to another département (within the token's territory)."""
    in_reach(registry, peer_worker_id, identity)
    check_territory(identity, command.departement, "a move")
    registry.move_peer_worker(peer_worker_id, command.departement, command.effective_on)
    return audited(registry, peer_worker_id, audit, identity)


@router.post("/{peer_worker_id}/withdraw", responses=COMMAND)
def withdraw_peer_worker(
    peer_worker_id: UUID, command: WithdrawPeerWorker, registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> PeerWorkerView:
    """Withdraw the peer worker from the census; their history is kept."""
    in_reach(registry, peer_worker_id, identity)
    registry.withdraw_peer_worker(peer_worker_id, command.effective_on)
    return audited(registry, peer_worker_id, audit, identity)


@router.post("/{peer_worker_id}/legal-basis", responses=COMMAND)
def record_legal_basis(
    peer_worker_id: UUID, command: Annotated[RecordLegalBasis, Body()], registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> PeerWorkerView:
    """Record on what basis of GDPR art. 9(2) the platform holds the record: for a peer
    worker registered by a hiring, who has none yet, or when the basis changes. Kept in the
    registry, never published; who recorded it is in the record's history."""
    in_reach(registry, peer_worker_id, identity)
    registry.record_legal_basis(peer_worker_id, command.value())
    return audited(registry, peer_worker_id, audit, identity)


@router.post("/{peer_worker_id}/legal-basis/withdraw-consent", responses=COMMAND)
def withdraw_consent(
    peer_worker_id: UUID, command: WithdrawConsent, registry: RegistryDep, audit: AuditLogDep, identity: Staff
) -> PeerWorkerView:
    """The person withdrew the consent their record rests on: from then on the record is kept
    only for the counts already made. They leave the census that day (published as
    `peer_worker.withdrawn`, which says nothing of why), the record takes no command but its
    erasure, and the lists show it as such."""
    in_reach(registry, peer_worker_id, identity)
    registry.withdraw_consent(peer_worker_id, command.withdrawn_on)
    return audited(registry, peer_worker_id, audit, identity)


def in_reach(registry: Registry, peer_worker_id: UUID, identity: Identity) -> None:
    """Before a command: 404 for a peer worker outside the caller's territory, as for an
    unknown id."""
    if identity.territory is not None:
        registry.get_peer_worker(peer_worker_id, identity.covers)


def audited(registry: Registry, peer_worker_id: UUID, audit: AuditLog, identity: Identity) -> PeerWorkerView:
    """The peer worker's record, its read logged once it is found (in the caller's territory)."""
    view = PeerWorkerView.of(registry.get_peer_worker(peer_worker_id, identity.covers))
    audit.record_read(peer_worker_id, PEER_WORKER)
    return view
