from typing import Annotated
from uuid import UUID

from fastapi import Body, Depends, Request, Response, status
from fastapi.responses import JSONResponse

from peerwork_common.http.access import Staff, check_territory, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.exports import record_segment
from peerwork_common.http.refusals import refusals
from peerwork_common.http.schemas import Created
from peerwork_common.lists.page_api import DEFAULT_LIMIT, Cursor, Limit, Page, known_filters
from peerwork_common.security.audit_log import AuditLog
from peerwork_common.security.auth import ADMIN, STAFF, Identity
from peerwork_contracts import calendar

from ...application import Registry
from ..deps import ListsDep, RegistryDep
from ..list_filters import PeerWorkerFiltersDep, PeerWorkerSortQuery
from ..list_schemas import PeerWorkerItem
from ..schemas import (
    EmploymentView,
    EndEmployment,
    ErasurePending,
    MergedRefusal,
    MovePeerWorker,
    PeerWorkerView,
    RecordEmployment,
    RecordLegalBasis,
    RegisterPeerWorker,
    WithdrawConsent,
    WithdrawPeerWorker,
)

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/peer-workers", tags=["peer workers"], responses=refusals(422))

# Erasure is for admins alone.
erasure = protected_router(ADMIN, prefix="/peer-workers", tags=["peer workers"], responses=refusals(422))

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


@erasure.delete(
    f"/{record_segment('peer_worker_id')}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        202: {"model": ErasurePending, "description": "Erased, but copies of the key are still on disk a moment"},
        **refusals(404, 409),
    },
)
def erase_peer_worker(peer_worker_id: UUID, registry: RegistryDep, lists: ListsDep, request: Request) -> Response:
    """Erase the peer worker's record at their request (GDPR art. 17): their personal fields
    can no longer be read anywhere, and the record answers 410 from now on; the anonymous
    counts they were part of stay as they were. A peer worker still in the census is
    withdrawn, and in no list. Publishes `peer_worker.erased`. Answers 204 once no copy of the person's key
    or name is left in the database's files; 202 while a reader of the database keeps one
    in its write-ahead log (SQLite): the service clears it by itself as soon as it can,
    and erasing again answers 202 until then, 204 after."""
    # The answers kept for retried commands about the person may show their name (a merge's,
    # kept under the merged record's id, shows the survivor's); deleted first, so that the
    # erasure's clearing of SQLite's log clears them too.
    for record_id in registry.records_of_person(peer_worker_id):
        request.app.state.idempotency.forget(record_id)
    # The lists drop the person's rows (their name's blind index) before the key goes, for
    # the same reason.
    if registry.erase_peer_worker(peer_worker_id, calendar.today(), before_destroying_key=lists.catch_up):
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    pending = ErasurePending(
        detail=f"peer worker {peer_worker_id} is erased, but a reader of the database still holds "
        "copies of the key in its write-ahead log: they are cleared as soon as it lets go, with no "
        "further request; DELETE again answers 204 once they are"
    )
    return JSONResponse(pending.model_dump(), status_code=status.HTTP_202_ACCEPTED)


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
