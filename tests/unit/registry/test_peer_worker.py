"""Given events, when a command, then events (or a refusal) — PeerWorker."""

from datetime import date
from uuid import uuid4

import pytest
from eventsourcing.utils import get_topic

from peerwork_common.domain.errors import ErasedError, InvalidValueError, NotFoundError, RuleBrokenError
from peerwork_registry.domain.peer_worker import PeerWorker

JAN = date(2022, 1, 10)


def registered(**overrides) -> PeerWorker:  # noqa: ANN003
    fields = {"display_name": "Anne", "departement": "38", "domains": ["addiction"], "registered_on": JAN}
    return PeerWorker.register(**{**fields, **overrides})


def new_events(peer_worker: PeerWorker) -> list:
    return peer_worker.collect_events()


def test_registering_records_one_event_with_the_effective_date():
    peer_worker = registered(domains=["violence", "addiction", "violence"])
    [event] = new_events(peer_worker)
    assert isinstance(event, PeerWorker.Registered)
    assert event.effective_on == JAN
    assert event.domains == ["addiction", "violence"]
    assert peer_worker.departement == "38"


def test_registering_needs_a_domain_and_a_known_departement():
    with pytest.raises(RuleBrokenError, match="domain"):
        registered(domains=[])
    with pytest.raises(InvalidValueError, match="Corsica"):
        registered(departement="20")
    with pytest.raises(ValueError):
        registered(domains=["astrology"])


def test_employment_is_recorded_then_ended_once():
    peer_worker = registered()
    structure_id = uuid4()
    employment_id = peer_worker.record_employment(structure_id, date(2022, 2, 1), None)
    peer_worker.end_employment(employment_id, date(2022, 6, 1))
    events = new_events(peer_worker)
    assert [type(e) for e in events] == [
        PeerWorker.Registered, PeerWorker.EmploymentRecorded, PeerWorker.EmploymentEnded
    ]
    with pytest.raises(RuleBrokenError, match="already ended"):
        peer_worker.end_employment(employment_id, date(2022, 7, 1))
    assert new_events(peer_worker) == []


def test_ending_an_unknown_employment_is_not_found():
    with pytest.raises(NotFoundError):
        registered().end_employment(uuid4(), date(2022, 3, 1))


def test_an_employment_cannot_start_before_registration_nor_end_before_it_starts():
    peer_worker = registered()
    with pytest.raises(RuleBrokenError, match="registration"):
        peer_worker.record_employment(uuid4(), date(2021, 12, 31), None)
    with pytest.raises(RuleBrokenError, match="end after"):
        peer_worker.record_employment(uuid4(), date(2022, 3, 1), date(2022, 3, 1))


def test_two_open_employments_at_the_same_structure_are_refused():
    peer_worker = registered()
    structure_id = uuid4()
    peer_worker.record_employment(structure_id, date(2022, 2, 1), None)
    with pytest.raises(RuleBrokenError, match="already employed"):
        peer_worker.record_employment(structure_id, date(2022, 3, 1), None)


def test_a_withdrawn_peer_worker_cannot_be_employed_moved_or_withdrawn_again():
    peer_worker = registered()
    peer_worker.withdraw(date(2022, 5, 1))
    for command in (
        lambda: peer_worker.record_employment(uuid4(), date(2022, 6, 1), None),
        lambda: peer_worker.move("69", date(2022, 6, 1)),
        lambda: peer_worker.withdraw(date(2022, 6, 1)),
    ):
        with pytest.raises(RuleBrokenError, match="withdrawn on 2022-05-01"):
            command()


def test_withdrawal_ends_open_employments():
    peer_worker = registered()
    employment_id = peer_worker.record_employment(uuid4(), date(2022, 2, 1), None)
    peer_worker.withdraw(date(2022, 5, 1))
    assert peer_worker.employments[employment_id].ends_on == date(2022, 5, 1)


def test_moves_follow_each_other_in_time():
    peer_worker = registered()
    peer_worker.move("69", date(2022, 3, 1))
    assert peer_worker.departement == "69"
    with pytest.raises(RuleBrokenError, match="since 2022-03-01"):
        peer_worker.move("38", date(2022, 2, 1))
    with pytest.raises(RuleBrokenError, match="already in"):
        peer_worker.move("69", date(2022, 4, 1))
    moved = new_events(peer_worker)[-1]
    assert (moved.from_departement, moved.to_departement) == ("38", "69")


def test_withdrawal_cannot_predate_a_recorded_fact():
    peer_worker = registered()
    peer_worker.record_employment(uuid4(), date(2022, 4, 1), None)
    with pytest.raises(RuleBrokenError, match="2022-04-01"):
        peer_worker.withdraw(date(2022, 3, 1))


def test_erasing_withdraws_a_peer_worker_still_in_the_census_then_forgets_the_name():
    peer_worker = registered()
    peer_worker.record_employment(uuid4(), date(2022, 3, 1), None)
    new_events(peer_worker)
    peer_worker.erase(date(2023, 5, 2))
    withdrawn, erased = new_events(peer_worker)
    assert isinstance(withdrawn, PeerWorker.Withdrawn) and withdrawn.effective_on == date(2023, 5, 2)
    assert isinstance(erased, PeerWorker.Erased) and erased.effective_on == date(2023, 5, 2)
    assert peer_worker.display_name is None
    assert all(not employment.is_open_on(date(2023, 5, 2)) for employment in peer_worker.employments.values())


def test_erasing_a_withdrawn_peer_worker_keeps_the_withdrawal_and_erasing_twice_changes_nothing():
    peer_worker = registered()
    peer_worker.withdraw(date(2022, 6, 1))
    new_events(peer_worker)
    peer_worker.erase(date(2023, 5, 2))
    [erased] = new_events(peer_worker)
    assert isinstance(erased, PeerWorker.Erased) and peer_worker.withdrawn_on == date(2022, 6, 1)
    peer_worker.erase(date(2023, 5, 3))
    assert new_events(peer_worker) == []


def test_an_erased_record_takes_no_more_commands():
    peer_worker = registered()
    peer_worker.erase(date(2023, 5, 2))
    with pytest.raises(ErasedError, match="erased on 2023-05-02"):
        peer_worker.record_employment(uuid4(), date(2023, 6, 1), None)
    with pytest.raises(ErasedError):
        peer_worker.move("69", date(2023, 6, 1))


def test_every_event_keeps_the_topic_the_store_finds_it_by_wherever_its_command_is():
    # The commands are in mixins (peer_worker_*.py); the events stay declared on PeerWorker.
    stored = {
        "Registered", "Moved", "Withdrawn", "Erased", "EmploymentRecorded", "EmploymentEnded",
        "LegalBasisRecorded", "ConsentWithdrawn", "RegistrationCorrected", "EmploymentCorrected",
        "EmploymentCancelled", "Reinstated", "Merged", "Absorbed",
    }
    for name in stored:
        assert get_topic(getattr(PeerWorker, name)) == f"peerwork_registry.domain.peer_worker:PeerWorker.{name}"
    survivor, merged = registered(), registered(registered_on=date(2021, 5, 3))
    employment_id = merged.record_employment(uuid4(), date(2021, 6, 1), None)
    merged.correct_employment(employment_id, date(2021, 6, 2), None, "typed wrong")
    merged.move("69", date(2021, 7, 1))
    merged.merge_into(survivor, "registered twice")
    survivor.withdraw(date(2022, 2, 1))
    survivor.reinstate("withdrawn by mistake")
    survivor.cancel_employment(employment_id, "never was")
    recorded = {type(event) for event in (*merged.collect_events(), *survivor.collect_events())}
    assert {get_topic(event_class) for event_class in recorded} == {
        f"peerwork_registry.domain.peer_worker:PeerWorker.{name}" for name in stored
        if name not in {"Erased", "EmploymentEnded", "LegalBasisRecorded", "ConsentWithdrawn"}
    }
