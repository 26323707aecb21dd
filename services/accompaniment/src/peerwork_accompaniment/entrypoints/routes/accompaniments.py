from uuid import UUID

from fastapi import status

from peerwork_common.access import protected_router
from peerwork_common.audit_api import AuditLogDep
from peerwork_common.auth import STAFF
from peerwork_common.refusals import refusals
from peerwork_common.schemas import Created
from peerwork_contracts.vocabulary import Milestone

from ..deps import AccompanimentsDep
from ..schemas import AccompanimentView, CloseAccompaniment, OpenAccompaniment, RecordMilestone, StepView

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/accompaniments", tags=["accompaniments"], responses=refusals(422))

# An accompaniment's request and notes are often about the person to be hired: a route
# answering with them logs the read.
ACCOMPANIMENT = "accompaniment"

# A command on an accompaniment: it may be unknown, or the command contradict its timeline.
COMMAND = refusals(400, 404, 409, 413)


@router.post("", status_code=status.HTTP_201_CREATED, responses=refusals(400, 413))
def open_accompaniment(command: OpenAccompaniment, accompaniments: AccompanimentsDep) -> Created:
    """Open the accompaniment of a structure that asked for help to host a peer worker."""
    accompaniment_id = accompaniments.open_accompaniment(
        command.structure_id, command.departement, command.channel, command.request, command.requested_on
    )
    return Created(id=accompaniment_id)


@router.get("/{accompaniment_id}", responses=refusals(404))
def get_accompaniment(
    accompaniment_id: UUID, accompaniments: AccompanimentsDep, audit: AuditLogDep
) -> AccompanimentView:
    """Read an accompaniment, with its timeline of milestones."""
    view = AccompanimentView.of(accompaniments.get_accompaniment(accompaniment_id))
    audit.record_read(accompaniment_id, ACCOMPANIMENT)
    return view


@router.post(
    "/{accompaniment_id}/milestones", status_code=status.HTTP_201_CREATED, responses=COMMAND
)
def record_milestone(
    accompaniment_id: UUID, command: RecordMilestone, accompaniments: AccompanimentsDep
) -> StepView:
    """Record a milestone; for `peer_worker_hired`, the registry then records the employment
    (and registers the peer worker given as `new_peer_worker`)."""
    if command.milestone is Milestone.PEER_WORKER_HIRED:
        step = accompaniments.record_hiring(
            accompaniment_id,
            command.occurred_on,
            peer_worker_id=command.peer_worker_id,
            new_peer_worker=command.new_peer_worker and command.new_peer_worker.to_domain(),
            note=command.note,
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
    accompaniment_id: UUID, command: CloseAccompaniment, accompaniments: AccompanimentsDep, audit: AuditLogDep
) -> AccompanimentView:
    """Close the accompaniment with its outcome; nothing is recorded on it afterwards."""
    accompaniments.close_accompaniment(accompaniment_id, command.outcome, command.closed_on)
    view = AccompanimentView.of(accompaniments.get_accompaniment(accompaniment_id))
    audit.record_read(accompaniment_id, ACCOMPANIMENT)
    return view
