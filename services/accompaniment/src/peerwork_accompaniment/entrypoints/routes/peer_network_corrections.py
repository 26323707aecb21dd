"""Corrections of peer networks and their meetings: a mistake put right, saying why; the
figures count as if it had never been made."""

from uuid import UUID

from fastapi import HTTPException, status

from peerwork_common.http.access import Staff, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.refusals import refusals
from peerwork_common.security.auth import STAFF

from ..deps import AccompanimentsDep, RegistryRecordsDep, RegistryReferencesDep
from ..network_schemas import CorrectMeeting, CorrectNetwork, MeetingView, PeerNetworkView
from ..schemas import Correction
from .peer_networks import COMMAND, audited, check_peer_workers, check_scope, in_reach

# Staff only (admins too), as the networks' other routes.
router = protected_router(STAFF, prefix="/peer-networks", tags=["peer networks"], responses=refusals(422))


@router.post("/{network_id}/correct", responses=COMMAND)
def correct_network(
    network_id: UUID, command: CorrectNetwork, accompaniments: AccompanimentsDep, audit: AuditLogDep,
    identity: Staff,
) -> PeerNetworkView:
    """Correct the network's name, territory or start, recorded wrong (its meetings move with
    it); the territory, as when it is formed, within the token's."""
    in_reach(accompaniments, network_id, identity)
    check_scope(identity, command)
    accompaniments.correct_network(network_id, command.name, command.to_domain(), command.formed_on, command.reason)
    return audited(accompaniments, network_id, audit, identity)


@router.post("/{network_id}/end/retract", responses=COMMAND)
def retract_end(
    network_id: UUID, command: Correction, accompaniments: AccompanimentsDep, audit: AuditLogDep, identity: Staff
) -> PeerNetworkView:
    """Retract the network's end, recorded by mistake (409 if it has not ended): it never stopped."""
    in_reach(accompaniments, network_id, identity)
    accompaniments.retract_network_end(network_id, command.reason)
    return audited(accompaniments, network_id, audit, identity)


@router.post("/{network_id}/meetings/{meeting_id}/correct", responses={**COMMAND, **refusals(410)})
def correct_meeting(
    network_id: UUID,
    meeting_id: UUID,
    command: CorrectMeeting,
    accompaniments: AccompanimentsDep,
    records: RegistryRecordsDep,
    references: RegistryReferencesDep,
    identity: Staff,
) -> MeetingView:
    """Correct a meeting recorded wrong: what it was, everyone who took part named. A peer
    worker added is checked as when a meeting is recorded; those it named already are kept
    as they are, an erased one too (410 to remove them: the figures keep what the person
    counted for, and nothing names them again)."""
    network = in_reach(accompaniments, network_id, identity)
    named = set(network.meeting(meeting_id).peer_worker_ids)
    added = [i for i in command.peer_worker_ids if i not in named]
    check_peer_workers(added, command.held_on, identity, records, references)
    for removed in named - set(command.peer_worker_ids):
        record = records.get(removed)
        if record is not None and record.erased:
            raise HTTPException(
                status.HTTP_410_GONE,
                f"the record of peer worker {removed} was erased at the person's request: their part in "
                "the meeting stays as it was counted; name them again to correct the rest",
            )
    meeting = accompaniments.correct_meeting(
        network_id, meeting_id, command.held_on, command.kind, command.hours, tuple(command.peer_worker_ids),
        command.other_participants, command.reason,
    )
    return MeetingView.of(meeting)


@router.post("/{network_id}/meetings/{meeting_id}/retract", responses=COMMAND)
def retract_meeting(
    network_id: UUID, meeting_id: UUID, command: Correction, accompaniments: AccompanimentsDep,
    audit: AuditLogDep, identity: Staff,
) -> PeerNetworkView:
    """Retract a meeting recorded by mistake: the figures count as if it had never been."""
    in_reach(accompaniments, network_id, identity)
    accompaniments.retract_meeting(network_id, meeting_id, command.reason)
    return audited(accompaniments, network_id, audit, identity)
