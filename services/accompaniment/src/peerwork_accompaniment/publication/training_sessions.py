"""A training session's events as published."""

from collections.abc import Callable

from eventsourcing.domain import DomainEvent

from peerwork_common.messaging.publication import contract_event
from peerwork_contracts import accompaniment as contract
from peerwork_contracts.envelope import Event

from ..domain.training_session import TrainingSession


def _scheduled(domain_event: TrainingSession.Scheduled, position: int) -> Event:
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


def _participant_enrolled(domain_event: TrainingSession.ParticipantEnrolled, position: int) -> Event:
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


def _attendance_recorded(domain_event: TrainingSession.AttendanceRecorded, position: int) -> Event:
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


def _completed(domain_event: TrainingSession.Completed, position: int) -> Event:
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


def _cancelled(domain_event: TrainingSession.Cancelled, position: int) -> Event:
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


PUBLISHED: dict[type[DomainEvent], Callable[..., Event]] = {
    TrainingSession.Scheduled: _scheduled,
    TrainingSession.ParticipantEnrolled: _participant_enrolled,
    TrainingSession.AttendanceRecorded: _attendance_recorded,
    TrainingSession.Completed: _completed,
    TrainingSession.Cancelled: _cancelled,
}
