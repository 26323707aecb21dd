"""Given events, when a command, then events (or a refusal) — TrainingSession."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from peerwork_accompaniment.domain.training_session import TrainingSession
from peerwork_common.domain.errors import InvalidValueError, NotFoundError, RuleBrokenError
from peerwork_contracts.calendar import today

SCHEDULED = date(2024, 1, 5)
STARTS = date(2024, 2, 1)


def scheduled(**overrides) -> TrainingSession:  # noqa: ANN003
    fields = {
        "title": "Sensibilisation", "kind": "awareness_for_professionals", "audience": "professionals",
        "departement": "69", "starts_on": STARTS, "ends_on": STARTS + timedelta(days=1),
        "duration_hours": 12, "capacity": 10, "scheduled_on": SCHEDULED,
    }
    session = TrainingSession.schedule(**{**fields, **overrides})
    session.collect_events()
    return session


def test_a_session_may_be_planned_in_the_future_but_not_scheduled_from_it():
    session = scheduled(starts_on=today() + timedelta(days=30), ends_on=None)
    assert session.ends_on == session.starts_on
    with pytest.raises(InvalidValueError, match="future"):
        scheduled(scheduled_on=today() + timedelta(days=1))


def test_scheduling_refuses_impossible_dates_durations_and_capacities():
    with pytest.raises(InvalidValueError, match="before it starts"):
        scheduled(ends_on=STARTS - timedelta(days=1))
    with pytest.raises(InvalidValueError, match="hours"):
        scheduled(duration_hours=0)
    with pytest.raises(InvalidValueError, match="seat"):
        scheduled(capacity=0)


def test_capacity_is_enforced_over_peer_workers_and_structures_staff():
    session = scheduled(capacity=4)
    session.enrol(date(2024, 1, 10), peer_worker_id=uuid4())
    session.enrol(date(2024, 1, 10), structure_id=uuid4(), seats=2)
    with pytest.raises(RuleBrokenError, match="full: 1 of its 4"):
        session.enrol(date(2024, 1, 11), structure_id=uuid4(), seats=2)
    session.enrol(date(2024, 1, 11), peer_worker_id=uuid4())
    assert session.seats_taken == 4
    assert len(session.collect_events()) == 3


def test_an_enrolment_names_a_peer_worker_or_a_structure_with_seats():
    session = scheduled()
    with pytest.raises(InvalidValueError, match="either"):
        session.enrol(date(2024, 1, 10))
    with pytest.raises(InvalidValueError, match="seats"):
        session.enrol(date(2024, 1, 10), structure_id=uuid4())
    with pytest.raises(InvalidValueError, match="one seat"):
        session.enrol(date(2024, 1, 10), peer_worker_id=uuid4(), seats=3)
    peer_worker = uuid4()
    session.enrol(date(2024, 1, 10), peer_worker_id=peer_worker)
    with pytest.raises(RuleBrokenError, match="already enrolled"):
        session.enrol(date(2024, 1, 10), peer_worker_id=peer_worker)


def test_attendance_is_recorded_only_once_the_session_has_begun():
    session = scheduled()
    enrolment = session.enrol(date(2024, 1, 10), structure_id=uuid4(), seats=3)
    with pytest.raises(RuleBrokenError, match="begun"):
        session.record_attendance(enrolment.enrolment_id, 2, STARTS - timedelta(days=1))
    with pytest.raises(InvalidValueError, match="from 0 to 3"):
        session.record_attendance(enrolment.enrolment_id, 4, STARTS)
    with pytest.raises(NotFoundError):
        session.record_attendance(uuid4(), 1, STARTS)
    session.record_attendance(enrolment.enrolment_id, 3, STARTS)
    session.record_attendance(enrolment.enrolment_id, 2, STARTS + timedelta(days=1))  # a correction
    assert session.participants == 2


def test_completion_needs_the_last_day_over_and_every_attendance():
    session = scheduled()
    first = session.enrol(date(2024, 1, 10), peer_worker_id=uuid4())
    second = session.enrol(date(2024, 1, 10), structure_id=uuid4(), seats=5)
    session.record_attendance(first.enrolment_id, 1, STARTS)
    with pytest.raises(RuleBrokenError, match="last day"):
        session.complete(STARTS)
    with pytest.raises(RuleBrokenError, match=str(second.enrolment_id)):
        session.complete(session.ends_on)
    session.record_attendance(second.enrolment_id, 4, STARTS)
    session.collect_events()
    session.complete(session.ends_on + timedelta(days=3))
    [event] = session.collect_events()
    assert (event.participants, event.duration_hours, event.ends_on) == (5, 12.0, session.ends_on)
    with pytest.raises(RuleBrokenError, match="completed"):
        session.cancel(date(2024, 3, 1))


def test_a_cancelled_session_takes_no_enrolment_and_cannot_be_completed():
    session = scheduled()
    session.cancel(date(2024, 1, 20))
    session.collect_events()
    with pytest.raises(RuleBrokenError, match="cancelled"):
        session.enrol(date(2024, 1, 21), peer_worker_id=uuid4())
    with pytest.raises(RuleBrokenError, match="cancelled"):
        session.complete(date(2024, 3, 1))
    with pytest.raises(RuleBrokenError, match="cancelled"):
        session.cancel(date(2024, 1, 22))
    assert session.collect_events() == []
