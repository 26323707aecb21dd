"""Given events, when a correction or a merge, then events (or a refusal) — PeerWorker."""

from datetime import date
from uuid import uuid4

import pytest

from peerwork_common.domain.errors import ErasedError, InvalidValueError, NotFoundError, RuleBrokenError
from peerwork_registry.domain.peer_worker import PeerWorker
from peerwork_registry.domain.peer_worker_merge import MergedError

JAN = date(2022, 1, 10)
WHY = "typed wrong"


def registered(**overrides) -> PeerWorker:  # noqa: ANN003
    fields = {"display_name": "Anne", "departement": "38", "domains": ["addiction"], "registered_on": JAN}
    peer_worker = PeerWorker.register(**{**fields, **overrides})
    peer_worker.collect_events()
    return peer_worker


def test_a_registration_is_corrected_in_place_not_moved():
    peer_worker = registered()
    peer_worker.correct_registration("69", date(2021, 12, 1), ["violence", "addiction"], WHY)
    [event] = peer_worker.collect_events()
    assert isinstance(event, PeerWorker.RegistrationCorrected)
    assert (event.departement, event.registered_on, event.domains, event.reason) == (
        "69", date(2021, 12, 1), ["addiction", "violence"], WHY
    )
    assert (peer_worker.departement, peer_worker.departement_since, peer_worker.registered_on) == (
        "69", date(2021, 12, 1), date(2021, 12, 1)
    )


def test_after_a_move_the_correction_changes_the_registration_not_where_they_are_now():
    peer_worker = registered()
    peer_worker.move("73", date(2022, 3, 1))
    peer_worker.correct_registration("69", None, None, WHY)
    assert (peer_worker.departement, peer_worker.registered_in) == ("73", "69")
    with pytest.raises(RuleBrokenError, match=r"after the first move \(2022-03-01\)"):
        peer_worker.correct_registration(None, date(2022, 3, 2), None, WHY)


def test_a_registration_correction_is_refused_when_it_changes_nothing_or_breaks_a_rule():
    peer_worker = registered()
    employment_id = peer_worker.record_employment(uuid4(), date(2022, 2, 1), None)
    with pytest.raises(RuleBrokenError, match="changes nothing"):
        peer_worker.correct_registration("38", JAN, ["addiction"], WHY)
    with pytest.raises(RuleBrokenError, match=f"employment {employment_id}'s start"):
        peer_worker.correct_registration(None, date(2022, 2, 2), None, WHY)
    with pytest.raises(RuleBrokenError, match="at least one domain"):
        peer_worker.correct_registration(None, None, [], WHY)
    with pytest.raises(InvalidValueError, match="reason"):
        peer_worker.correct_registration("69", None, None, "   ")
    assert [type(e) for e in peer_worker.collect_events()] == [PeerWorker.EmploymentRecorded]


def test_an_employment_is_corrected_or_cancelled():
    peer_worker = registered()
    structure_id = uuid4()
    employment_id = peer_worker.record_employment(structure_id, date(2022, 2, 1), None)
    peer_worker.correct_employment(employment_id, date(2022, 1, 15), date(2022, 5, 1), WHY)
    assert peer_worker.employments[employment_id].ends_on == date(2022, 5, 1)
    with pytest.raises(RuleBrokenError, match="changes nothing"):
        peer_worker.correct_employment(employment_id, date(2022, 1, 15), date(2022, 5, 1), WHY)
    with pytest.raises(RuleBrokenError, match="before the peer worker's registration"):
        peer_worker.correct_employment(employment_id, date(2022, 1, 1), None, WHY)
    with pytest.raises(RuleBrokenError, match="end after"):
        peer_worker.correct_employment(employment_id, date(2022, 3, 1), date(2022, 3, 1), WHY)
    peer_worker.cancel_employment(employment_id, WHY)
    assert peer_worker.employments == {}
    with pytest.raises(NotFoundError):
        peer_worker.cancel_employment(employment_id, WHY)
    # A hiring delivered again does not bring a cancelled employment back.
    peer_worker.record_employment(structure_id, date(2022, 2, 1), None, employment_id=employment_id)
    assert peer_worker.employments == {}
    assert [type(e) for e in peer_worker.collect_events()] == [
        PeerWorker.EmploymentRecorded, PeerWorker.EmploymentCorrected, PeerWorker.EmploymentCancelled
    ]


def test_reinstating_undoes_the_withdrawal_and_reopens_what_it_ended_as_it_was():
    peer_worker = registered()
    open_one = peer_worker.record_employment(uuid4(), date(2022, 2, 1), None)
    planned = peer_worker.record_employment(uuid4(), date(2022, 2, 1), date(2023, 1, 1))
    ended = peer_worker.record_employment(uuid4(), date(2022, 2, 1), date(2022, 3, 1))
    with pytest.raises(RuleBrokenError, match="not withdrawn"):
        peer_worker.reinstate(WHY)
    peer_worker.withdraw(date(2022, 6, 1))
    with pytest.raises(RuleBrokenError, match="ends by then"):
        peer_worker.correct_employment(ended, date(2022, 2, 1), None, WHY)
    peer_worker.reinstate(WHY)
    assert peer_worker.withdrawn_on is None
    ends = {eid: e.ends_on for eid, e in peer_worker.employments.items()}
    assert ends == {open_one: None, planned: date(2023, 1, 1), ended: date(2022, 3, 1)}
    peer_worker.move("69", date(2022, 7, 1))  # the record takes commands again


def test_an_erased_record_cannot_be_corrected_nor_reinstated():
    peer_worker = registered()
    peer_worker.erase(date(2022, 6, 1))
    with pytest.raises(ErasedError):
        peer_worker.reinstate(WHY)
    with pytest.raises(ErasedError):
        peer_worker.correct_registration("69", None, None, WHY)


def test_a_merge_moves_the_employments_and_counts_from_the_earliest_registration():
    merged = registered(registered_on=date(2021, 5, 1), domains=["violence"])
    survivor = registered(departement="69")
    employment_id = merged.record_employment(uuid4(), date(2021, 6, 1), None)
    merged.collect_events()
    merged.merge_into(survivor, "registered twice")
    [event] = merged.collect_events()
    assert isinstance(event, PeerWorker.Merged) and event.into == survivor.id
    assert [type(e) for e in survivor.collect_events()] == [
        PeerWorker.Absorbed, PeerWorker.RegistrationCorrected, PeerWorker.EmploymentRecorded
    ]
    assert (survivor.registered_on, survivor.departement, survivor.absorbed) == (date(2021, 5, 1), "69", [merged.id])
    assert [d.value for d in survivor.domains] == ["addiction", "violence"]
    assert survivor.employments[employment_id].starts_on == date(2021, 6, 1)
    with pytest.raises(MergedError) as refused:
        merged.move("73", date(2023, 1, 1))
    assert refused.value.into == survivor.id


def test_a_merge_is_refused_into_itself_withdrawn_or_both_employed_by_one_structure():
    one, other = registered(), registered()
    with pytest.raises(RuleBrokenError, match="itself"):
        one.merge_into(one, WHY)
    structure_id = uuid4()
    one.record_employment(structure_id, date(2022, 2, 1), None)
    other.record_employment(structure_id, date(2022, 3, 1), None)
    with pytest.raises(RuleBrokenError, match=f"both records are employed by structure {structure_id}"):
        one.merge_into(other, WHY)
    other.withdraw(date(2022, 4, 1))
    with pytest.raises(RuleBrokenError, match="withdrawn"):
        one.merge_into(other, WHY)
    assert one.merged_into is None


def test_an_employment_from_a_hiring_is_cancelled_only_by_retracting_the_hiring_and_keeps_its_accompaniment():
    peer_worker, survivor = registered(), registered(display_name="Anne B.")
    accompaniment_id, hiring_id, structure_id = uuid4(), uuid4(), uuid4()
    peer_worker.record_employment(structure_id, date(2022, 2, 1), None, employment_id=hiring_id, accompaniment_id=accompaniment_id)
    peer_worker.correct_employment(hiring_id, date(2022, 2, 3), None, WHY)
    peer_worker.merge_into(survivor, "registered twice")
    assert survivor.employments[hiring_id].accompaniment_id == accompaniment_id
    survivor.collect_events()

    with pytest.raises(RuleBrokenError, match=f"hiring of accompaniment {accompaniment_id}: retract that hiring there"):
        survivor.cancel_employment(hiring_id, WHY)
    survivor.cancel_hiring(hiring_id, accompaniment_id)
    [cancelled] = survivor.collect_events()
    assert isinstance(cancelled, PeerWorker.EmploymentCancelled)
    assert (cancelled.employment_id, cancelled.structure_id) == (hiring_id, structure_id)
    assert cancelled.reason == f"the hiring was retracted in accompaniment {accompaniment_id}"
    assert survivor.employments == {}
    with pytest.raises(NotFoundError):
        survivor.cancel_hiring(hiring_id, accompaniment_id)
    # Delivered anew, the hiring records nothing again.
    survivor.record_employment(structure_id, date(2022, 2, 1), None, employment_id=hiring_id, accompaniment_id=accompaniment_id)
    assert survivor.collect_events() == []
