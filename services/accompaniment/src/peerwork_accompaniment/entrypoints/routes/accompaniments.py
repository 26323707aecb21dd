from typing import Annotated
from uuid import UUID

from fastapi import Path, status

from peerwork_common.http.access import Staff, check_territory, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.refusals import refusals
from peerwork_common.http.schemas import Created
from peerwork_common.security.audit_log import AuditLog
from peerwork_common.security.auth import STAFF, Identity
from peerwork_contracts.vocabulary import Milestone

from ...application import Accompaniments
from ...registry_records import PEER_WORKER, STRUCTURE
from ..deps import AccompanimentsDep, RegistryRecordsDep, RegistryReferencesDep
from ..schemas import (
    AccompanimentView,
    CloseAccompaniment,
    Correction,
    OpenAccompaniment,
    RecordMilestone,
    StepView,
)
from ..territory import check_named, territory_of

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/accompaniments", tags=["accompaniments"], responses=refusals(422))

# An accompaniment's request and notes are often about the person to be hired: a route
# answering with them logs the read.
ACCOMPANIMENT = "accompaniment"

# A command on an accompaniment: it may be unknown, or the command contradict its timeline.
COMMAND = refusals(400, 404, 409, 413)


@router.post("", status_code=status.HTTP_201_CREATED, responses=refusals(400, 409, 413))
def open_accompaniment(
    command: OpenAccompaniment,
    accompaniments: AccompanimentsDep,
    records: RegistryRecordsDep,
    references: RegistryReferencesDep,
    identity: Staff,
) -> Created:
    """Open the accompaniment of a structure that asked for help to host a peer worker (in a
    département of the token's territory, and so must the structure be). The structure must
    be registered in the registry: else 422, saying whether it is unknown, not arrived here
    yet (with a `Retry-After`: the registry's records cross the bus in seconds), or whether
    this service cannot tell (the bus out of reach)."""
    check_territory(identity, command.departement, "an accompaniment")
    references.check(command.structure_id)
    check_named(identity, records, STRUCTURE, command.structure_id)
    accompaniment_id = accompaniments.open_accompaniment(
        command.structure_id, command.departement, command.channel, command.request, command.requested_on
    )
    return Created(id=accompaniment_id)


@router.get("/{accompaniment_id}", responses=refusals(404))
def get_accompaniment(
    accompaniment_id: UUID, accompaniments: AccompanimentsDep, audit: AuditLogDep, identity: Staff
) -> AccompanimentView:
    """Read an accompaniment, with its timeline of milestones."""
    return audited(accompaniments, accompaniment_id, audit, identity)


@router.post(
    "/{accompaniment_id}/milestones", status_code=status.HTTP_201_CREATED, responses={**COMMAND, **refusals(410)}
)
def record_milestone(
    accompaniment_id: UUID,
    command: RecordMilestone,
    accompaniments: AccompanimentsDep,
    records: RegistryRecordsDep,
    references: RegistryReferencesDep,
    identity: Staff,
) -> StepView:
    """Record a milestone; for `peer_worker_hired`, the registry then records the employment
    (and registers the peer worker given as `new_peer_worker`). With a token confined to a
    territory, the peer worker hired must be in it (403), known to this service from the
    registry (409 for one registered a moment ago: retry shortly) and not erased (410). A
    peer worker withdrawn from the census by the hiring's day cannot be hired (409). A
    hiring's structure, the accompaniment's, must be registered in the registry (422 as
    when opening: an accompaniment opened before this was checked may name an unknown one)."""
    in_reach(accompaniments, accompaniment_id, identity)
    if command.milestone is Milestone.PEER_WORKER_HIRED:
        references.check(accompaniments.get_accompaniment(accompaniment_id).structure_id)
        if command.new_peer_worker:  # the registry will register them there
            check_territory(identity, command.new_peer_worker.departement, "a new peer worker")
        elif command.peer_worker_id:
            check_named(identity, records, PEER_WORKER, command.peer_worker_id)
            references.check_not_withdrawn(command.peer_worker_id, command.occurred_on)
        step = accompaniments.record_hiring(
            accompaniment_id,
            command.occurred_on,
            peer_worker_id=command.peer_worker_id,
            new_peer_worker=command.new_peer_worker and command.new_peer_worker.to_domain(),
            note=command.note,
            # For the registry to check again, against its own records.
            territory=territory_of(identity),
        )
    else:
        step = accompaniments.reach_milestone(
            accompaniment_id,
            command.milestone,
            command.occurred_on,
            ready=command.ready,
            reason=command.reason,
            note=command.note,
        )
    return StepView.of(step)


@router.post("/{accompaniment_id}/close", responses=COMMAND)
def close_accompaniment(
    accompaniment_id: UUID,
    command: CloseAccompaniment,
    accompaniments: AccompanimentsDep,
    audit: AuditLogDep,
    identity: Staff,
) -> AccompanimentView:
    """Close the accompaniment with its outcome; nothing is recorded on it afterwards."""
    in_reach(accompaniments, accompaniment_id, identity)
    accompaniments.close_accompaniment(accompaniment_id, command.outcome, command.closed_on)
    return audited(accompaniments, accompaniment_id, audit, identity)


@router.post("/{accompaniment_id}/milestones/{milestone}/retract", responses=COMMAND)
def retract_milestone(
    accompaniment_id: UUID,
    milestone: Annotated[Milestone, Path(description="The step of the last milestone of the timeline")],
    command: Correction,
    accompaniments: AccompanimentsDep,
    audit: AuditLogDep,
    identity: Staff,
) -> AccompanimentView:
    """Retract the last milestone of the timeline, recorded by mistake, named by its step
    (`milestone`, which must be the last one's: 409 otherwise); the figures count as if it
    had never been recorded. The accompaniment must be open (reopen it first). A
    `peer_worker_hired` retracted makes the registry cancel the employment it recorded from
    the hiring, within seconds; a peer worker the hiring registered stays registered."""
    in_reach(accompaniments, accompaniment_id, identity)
    accompaniments.retract_milestone(accompaniment_id, milestone, command.reason)
    return audited(accompaniments, accompaniment_id, audit, identity)


@router.post("/{accompaniment_id}/reopen", responses=COMMAND)
def reopen_accompaniment(
    accompaniment_id: UUID,
    command: Correction,
    accompaniments: AccompanimentsDep,
    audit: AuditLogDep,
    identity: Staff,
) -> AccompanimentView:
    """Reopen an accompaniment closed by mistake (409 if it is open): the figures count as if
    it had never been closed, and milestones are recorded on it again."""
    in_reach(accompaniments, accompaniment_id, identity)
    accompaniments.reopen_accompaniment(accompaniment_id, command.reason)
    return audited(accompaniments, accompaniment_id, audit, identity)


def in_reach(accompaniments: Accompaniments, accompaniment_id: UUID, identity: Identity) -> None:
    """Before a command: 404 for an accompaniment outside the caller's territory, as for an
    unknown id."""
    if identity.territory is not None:
        accompaniments.get_accompaniment(accompaniment_id, identity.covers)


def audited(
    accompaniments: Accompaniments, accompaniment_id: UUID, audit: AuditLog, identity: Identity
) -> AccompanimentView:
    """The accompaniment, its read logged once it is found (in the caller's territory)."""
    view = AccompanimentView.of(accompaniments.get_accompaniment(accompaniment_id, identity.covers))
    audit.record_read(accompaniment_id, ACCOMPANIMENT)
    return view
