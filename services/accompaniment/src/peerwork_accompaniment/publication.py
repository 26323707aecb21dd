"""What the accompaniment publishes: each stored domain event as its public contract event.

What a structure asks, why it is not ready, notes and the reasons of corrections stay here:
they are free text and may speak of people. Participants are named by pseudonymous id or
counted.
"""

from eventsourcing.domain import DomainEvent

from peerwork_common.messaging.publication import contract_event
from peerwork_contracts import accompaniment as contract
from peerwork_contracts.envelope import Event

from .domain.accompaniment import Accompaniment
from .domain.peer_network import PeerNetwork
from .domain.training_session import TrainingSession


def to_contract(domain_event: DomainEvent, position: int) -> Event | None:
    match domain_event:
        case Accompaniment.Opened():
            return contract_event(
                contract.AccompanimentOpened,
                domain_event,
                position,
                domain_event.requested_on,
                contract.AccompanimentOpenedPayload(
                    structure_id=domain_event.structure_id,
                    departement=domain_event.departement,
                    channel=domain_event.channel,
                ),
            )
        case Accompaniment.MilestoneReached():
            return contract_event(
                contract.MilestoneReached,
                domain_event,
                position,
                domain_event.occurred_on,
                contract.MilestoneReachedPayload(
                    structure_id=domain_event.structure_id,
                    departement=domain_event.departement,
                    milestone=domain_event.milestone,
                    ready=domain_event.ready,
                ),
            )
        case Accompaniment.PeerWorkerHired():
            new_peer_worker = None
            if domain_event.new_peer_worker_departement is not None:
                new_peer_worker = contract.NewPeerWorker(
                    departement=domain_event.new_peer_worker_departement,
                    domains=domain_event.new_peer_worker_domains,
                )
            return contract_event(
                contract.PeerWorkerHired,
                domain_event,
                position,
                domain_event.occurred_on,
                contract.PeerWorkerHiredPayload(
                    structure_id=domain_event.structure_id,
                    departement=domain_event.departement,
                    hiring_id=domain_event.hiring_id,
                    peer_worker_id=domain_event.peer_worker_id,
                    new_peer_worker=new_peer_worker,
                    starts_on=domain_event.occurred_on,
                    territory=domain_event.territory,
                ),
            )
        case Accompaniment.Closed():
            return contract_event(
                contract.AccompanimentClosed,
                domain_event,
                position,
                domain_event.closed_on,
                contract.AccompanimentClosedPayload(
                    structure_id=domain_event.structure_id,
                    departement=domain_event.departement,
                    outcome=domain_event.outcome,
                ),
            )
        case Accompaniment.MilestoneRetracted():
            return contract_event(
                contract.MilestoneRetracted,
                domain_event,
                position,
                domain_event.occurred_on,
                contract.MilestoneRetractedPayload(
                    structure_id=domain_event.structure_id,
                    departement=domain_event.departement,
                    milestone=domain_event.milestone,
                    still_reached_on=domain_event.still_reached_on,
                    hiring_id=domain_event.hiring_id,
                    peer_worker_id=domain_event.peer_worker_id,
                ),
            )
        case Accompaniment.Reopened():
            return contract_event(
                contract.AccompanimentReopened,
                domain_event,
                position,
                domain_event.closed_on,
                contract.AccompanimentReopenedPayload(
                    structure_id=domain_event.structure_id,
                    departement=domain_event.departement,
                    outcome=domain_event.outcome,
                ),
            )
        case TrainingSession.Scheduled():
            return contract_event(
                contract.TrainingSessionScheduled,
                domain_event,
                position,
                domain_event.scheduled_on,
                contract.TrainingSessionScheduledPayload(
                    kind=domain_event.kind,
                    audience=domain_event.audience,
                    departement=domain_event.departement,
                    title=domain_event.title,
                    starts_on=domain_event.starts_on,
                    ends_on=domain_event.ends_on,
                    duration_hours=domain_event.duration_hours,
                    capacity=domain_event.capacity,
                ),
            )
        case TrainingSession.ParticipantEnrolled():
            return contract_event(
                contract.ParticipantEnrolled,
                domain_event,
                position,
                domain_event.enrolled_on,
                contract.ParticipantEnrolledPayload(
                    kind=domain_event.kind,
                    audience=domain_event.audience,
                    departement=domain_event.departement,
                    enrolment_id=domain_event.enrolment_id,
                    peer_worker_id=domain_event.peer_worker_id,
                    structure_id=domain_event.structure_id,
                    seats=domain_event.seats,
                ),
            )
        case TrainingSession.AttendanceRecorded():
            return contract_event(
                contract.AttendanceRecorded,
                domain_event,
                position,
                domain_event.recorded_on,
                contract.AttendanceRecordedPayload(
                    kind=domain_event.kind,
                    audience=domain_event.audience,
                    departement=domain_event.departement,
                    enrolment_id=domain_event.enrolment_id,
                    attended=domain_event.attended,
                ),
            )
        case TrainingSession.Completed():
            return contract_event(
                contract.TrainingSessionCompleted,
                domain_event,
                position,
                domain_event.ends_on,
                contract.TrainingSessionCompletedPayload(
                    kind=domain_event.kind,
                    audience=domain_event.audience,
                    departement=domain_event.departement,
                    duration_hours=domain_event.duration_hours,
                    participants=domain_event.participants,
                ),
            )
        case TrainingSession.Cancelled():
            return contract_event(
                contract.TrainingSessionCancelled,
                domain_event,
                position,
                domain_event.cancelled_on,
                contract.TrainingPayload(
                    kind=domain_event.kind,
                    audience=domain_event.audience,
                    departement=domain_event.departement,
                ),
            )
    return _of_network(domain_event, position)


def _of_network(domain_event: DomainEvent, position: int) -> Event | None:
    match domain_event:
        case PeerNetwork.Formed() | PeerNetwork.Corrected():
            return contract_event(
                contract.PeerNetworkFormed if isinstance(domain_event, PeerNetwork.Formed)
                else contract.PeerNetworkCorrected,
                domain_event,
                position,
                domain_event.formed_on,
                contract.PeerNetworkFormedPayload(
                    region=domain_event.region, departement=domain_event.departement, name=domain_event.name
                ),
            )
        case PeerNetwork.Ended() | PeerNetwork.EndRetracted():
            return contract_event(
                contract.PeerNetworkEnded if isinstance(domain_event, PeerNetwork.Ended)
                else contract.PeerNetworkEndRetracted,
                domain_event,
                position,
                domain_event.ended_on,
                contract.PeerNetworkPayload(region=domain_event.region, departement=domain_event.departement),
            )
        case PeerNetwork.MeetingHeld():
            return contract_event(
                contract.MeetingHeld,
                domain_event,
                position,
                domain_event.held_on,
                contract.MeetingHeldPayload(
                    region=domain_event.region,
                    departement=domain_event.departement,
                    meeting_id=domain_event.meeting_id,
                    kind=domain_event.kind,
                    hours=domain_event.hours,
                    peer_worker_ids=tuple(domain_event.peer_worker_ids),
                    other_participants=domain_event.other_participants,
                ),
            )
        case PeerNetwork.MeetingCorrected():
            return contract_event(
                contract.MeetingCorrected,
                domain_event,
                position,
                domain_event.held_on,
                contract.MeetingCorrectedPayload(
                    region=domain_event.region,
                    departement=domain_event.departement,
                    meeting_id=domain_event.meeting_id,
                    kind=domain_event.kind,
                    hours=domain_event.hours,
                    other_participants=domain_event.other_participants,
                    peer_workers_added=tuple(domain_event.peer_workers_added),
                    peer_workers_removed=tuple(domain_event.peer_workers_removed),
                ),
            )
        case PeerNetwork.MeetingRetracted():
            return contract_event(
                contract.MeetingRetracted,
                domain_event,
                position,
                domain_event.held_on,
                contract.MeetingPayload(
                    region=domain_event.region,
                    departement=domain_event.departement,
                    meeting_id=domain_event.meeting_id,
                ),
            )
    return None
