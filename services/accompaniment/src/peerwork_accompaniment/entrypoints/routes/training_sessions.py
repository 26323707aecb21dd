from uuid import UUID

from fastapi import status

from peerwork_common.http.access import Staff, protected_router
from peerwork_common.http.refusals import refusals
from peerwork_common.http.schemas import Created
from peerwork_common.security.auth import STAFF

from ...registry_records import PEER_WORKER, STRUCTURE
from ..deps import AccompanimentsDep, RegistryRecordsDep
from ..session_schemas import (
    CancelSession,
    CompleteSession,
    Enrol,
    EnrolmentView,
    RecordAttendance,
    ScheduleSession,
    TrainingSessionView,
)
from ..territory import check_named

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/training-sessions", tags=["training sessions"], responses=refusals(422))

# A command on a session: it may be unknown, or the command contradict what it holds.
COMMAND = refusals(400, 404, 409, 413)


@router.post("", status_code=status.HTTP_201_CREATED, responses=refusals(400, 413))
def schedule_session(command: ScheduleSession, accompaniments: AccompanimentsDep) -> Created:
    """Schedule a training session, awareness session or peer meeting."""
    session_id = accompaniments.schedule_session(
        command.title,
        command.kind,
        command.audience,
        command.departement,
        command.starts_on,
        command.ends_on,
        command.duration_hours,
        command.capacity,
        command.scheduled_on,
    )
    return Created(id=session_id)


@router.get("/{session_id}", responses=refusals(404))
def get_session(session_id: UUID, accompaniments: AccompanimentsDep) -> TrainingSessionView:
    """Read a training session, with its enrolments and attendance."""
    return TrainingSessionView.of(accompaniments.get_session(session_id))


@router.post("/{session_id}/enrolments", status_code=status.HTTP_201_CREATED, responses={**COMMAND, **refusals(410)})
def enrol(
    session_id: UUID, command: Enrol, accompaniments: AccompanimentsDep, records: RegistryRecordsDep, identity: Staff
) -> EnrolmentView:
    """Enrol a peer worker, or a number of a structure's staff, within the session's capacity.
    Sessions are open to all, but with a token confined to a territory the peer worker or
    structure enrolled must be in it (403), known to this service from the registry (409
    for one registered a moment ago: retry shortly) and, a peer worker, not erased (410)."""
    if command.peer_worker_id:
        check_named(identity, records, PEER_WORKER, command.peer_worker_id)
    if command.structure_id:
        check_named(identity, records, STRUCTURE, command.structure_id)
    enrolment = accompaniments.enrol(
        session_id,
        command.enrolled_on,
        peer_worker_id=command.peer_worker_id,
        structure_id=command.structure_id,
        seats=command.seats,
    )
    return EnrolmentView.of(enrolment)


@router.post("/{session_id}/enrolments/{enrolment_id}/attendance", responses=COMMAND)
def record_attendance(
    session_id: UUID, enrolment_id: UUID, command: RecordAttendance, accompaniments: AccompanimentsDep
) -> EnrolmentView:
    """Record how many of an enrolment's seats were present (again to correct it)."""
    enrolment = accompaniments.record_attendance(
        session_id, enrolment_id, command.attended, command.recorded_on
    )
    return EnrolmentView.of(enrolment)


@router.post("/{session_id}/complete", responses=COMMAND)
def complete_session(
    session_id: UUID, command: CompleteSession, accompaniments: AccompanimentsDep
) -> TrainingSessionView:
    """Mark the session delivered, once its last day is over and every attendance is recorded."""
    accompaniments.complete_session(session_id, command.completed_on)
    return TrainingSessionView.of(accompaniments.get_session(session_id))


@router.post("/{session_id}/cancel", responses=COMMAND)
def cancel_session(
    session_id: UUID, command: CancelSession, accompaniments: AccompanimentsDep
) -> TrainingSessionView:
    """Cancel the session; it takes no enrolment afterwards."""
    accompaniments.cancel_session(session_id, command.cancelled_on)
    return TrainingSessionView.of(accompaniments.get_session(session_id))
