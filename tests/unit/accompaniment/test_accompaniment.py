"""Given events, when a command, then events (or a refusal) — Accompaniment.

Each rule of services/accompaniment/README.md has its test here."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from peerwork_accompaniment.domain.accompaniment import Accompaniment
from peerwork_accompaniment.domain.timeline import NewPeerWorker
from peerwork_common.domain.errors import InvalidValueError, RuleBrokenError
from peerwork_contracts.calendar import today

REQUESTED = date(2023, 3, 1)


def opened(**overrides) -> Accompaniment:  # noqa: ANN003
    fields = {
        "structure_id": uuid4(), "departement": "38", "channel": "funder",
        "request": "Recruter un travailleur pair", "requested_on": REQUESTED,
    }
    accompaniment = Accompaniment.open(**{**fields, **overrides})
    accompaniment.collect_events()
    return accompaniment


def test_opening_records_the_request_and_its_date():
    accompaniment = Accompaniment.open(uuid4(), "2A", "network", "  Former l'équipe ", REQUESTED)
    [event] = accompaniment.collect_events()
    assert isinstance(event, Accompaniment.Opened)
    assert (event.requested_on, event.departement, event.request) == (REQUESTED, "2A", "Former l'équipe")


def test_opening_refuses_a_blank_request_an_unknown_departement_and_a_future_date():
    with pytest.raises(InvalidValueError, match="blank"):
        opened(request="   ")
    with pytest.raises(InvalidValueError):
        opened(departement="20")
    with pytest.raises(InvalidValueError, match="future"):
        opened(requested_on=today() + timedelta(days=1))


def test_milestones_come_in_any_order_and_may_repeat():
    accompaniment = opened()
    accompaniment.reach("missions_defined", date(2023, 4, 1))
    accompaniment.reach("team_awareness", date(2023, 3, 10))
    accompaniment.reach("team_awareness", date(2023, 5, 10))
    events = accompaniment.collect_events()
    assert [e.milestone for e in events] == ["missions_defined", "team_awareness", "team_awareness"]
    assert len(accompaniment.timeline) == 3


def test_a_readiness_assessment_says_whether_ready_and_why_not():
    accompaniment = opened()
    with pytest.raises(InvalidValueError, match="ready"):
        accompaniment.reach("readiness_assessed", date(2023, 3, 5))
    with pytest.raises(InvalidValueError, match="not ready"):
        accompaniment.reach("readiness_assessed", date(2023, 3, 5), ready=True, reason="x")
    with pytest.raises(InvalidValueError, match="readiness_assessed"):
        accompaniment.reach("team_awareness", date(2023, 3, 5), ready=False)
    step = accompaniment.reach("readiness_assessed", date(2023, 3, 5), ready=False, reason="Équipe en tension")
    assert (step.ready, step.reason) == (False, "Équipe en tension")


def test_no_milestone_precedes_the_request_nor_lies_in_the_future():
    accompaniment = opened()
    with pytest.raises(RuleBrokenError, match="before the request"):
        accompaniment.reach("team_awareness", REQUESTED - timedelta(days=1))
    with pytest.raises(InvalidValueError, match="future"):
        accompaniment.reach("team_awareness", today() + timedelta(days=1))
    assert accompaniment.collect_events() == []


def test_a_hiring_names_an_existing_or_a_new_peer_worker_but_not_both_nor_neither():
    accompaniment = opened()
    new = NewPeerWorker("69", ("violence", "addiction"))
    with pytest.raises(InvalidValueError, match="either"):
        accompaniment.hire(date(2023, 6, 1))
    with pytest.raises(InvalidValueError, match="either"):
        accompaniment.hire(date(2023, 6, 1), peer_worker_id=uuid4(), new_peer_worker=new)
    with pytest.raises(InvalidValueError, match="peer_worker_id"):
        accompaniment.reach("peer_worker_hired", date(2023, 6, 1))
    known = uuid4()
    accompaniment.hire(date(2023, 6, 1), peer_worker_id=known)
    step = accompaniment.hire(date(2023, 7, 1), new_peer_worker=new)
    first, second = accompaniment.collect_events()
    assert (first.peer_worker_id, first.new_peer_worker_departement) == (known, None)
    assert second.peer_worker_id == step.peer_worker_id != known
    assert (second.new_peer_worker_departement, second.new_peer_worker_domains) == ("69", ["addiction", "violence"])
    assert first.hiring_id != second.hiring_id


def test_a_hiring_records_the_territory_it_was_checked_against():
    accompaniment = opened()
    accompaniment.hire(date(2023, 6, 1), peer_worker_id=uuid4(), territory=frozenset({"73", "38"}))
    accompaniment.hire(date(2023, 7, 1), peer_worker_id=uuid4())  # by national staff
    first, second = accompaniment.collect_events()[-2:]
    assert (first.territory, second.territory) == (["38", "73"], None)


def test_an_outcome_hired_needs_a_hiring():
    accompaniment = opened()
    with pytest.raises(RuleBrokenError, match="peer_worker_hired"):
        accompaniment.close("hired", date(2023, 9, 1))
    accompaniment.hire(date(2023, 6, 1), peer_worker_id=uuid4())
    accompaniment.close("hired", date(2023, 9, 1))
    assert accompaniment.outcome == "hired"


def test_nothing_is_recorded_after_closure_and_closing_twice_is_refused():
    accompaniment = opened()
    accompaniment.close("postponed", date(2023, 9, 1))
    accompaniment.collect_events()
    with pytest.raises(RuleBrokenError, match="closed"):
        accompaniment.reach("follow_up_meeting", date(2023, 9, 2))
    with pytest.raises(RuleBrokenError, match="closed"):
        accompaniment.hire(date(2023, 9, 2), peer_worker_id=uuid4())
    with pytest.raises(RuleBrokenError, match="already closed"):
        accompaniment.close("abandoned", date(2023, 9, 3))
    assert accompaniment.collect_events() == []


def test_closing_cannot_precede_the_request():
    with pytest.raises(RuleBrokenError, match="before the request"):
        opened().close("abandoned", REQUESTED - timedelta(days=1))


def test_retracting_takes_back_the_last_milestone_and_says_when_the_step_is_still_reached():
    accompaniment = opened()
    accompaniment.reach("team_awareness", date(2023, 3, 10))
    accompaniment.reach("missions_defined", date(2023, 4, 1))
    accompaniment.reach("team_awareness", date(2023, 5, 10))
    accompaniment.collect_events()
    accompaniment.retract("team_awareness", "Saisi deux fois")
    accompaniment.retract("missions_defined", "Pas encore fait")
    again, gone = accompaniment.collect_events()
    assert (again.milestone, again.occurred_on, again.still_reached_on) == ("team_awareness", date(2023, 5, 10), date(2023, 3, 10))
    assert (gone.milestone, gone.still_reached_on, gone.reason) == ("missions_defined", None, "Pas encore fait")
    assert [step.milestone for step in accompaniment.timeline] == ["team_awareness"]


def test_only_the_last_milestone_of_an_open_accompaniment_is_retracted_with_a_reason():
    accompaniment = opened()
    with pytest.raises(RuleBrokenError, match="nothing to retract"):
        accompaniment.retract("team_awareness", "Erreur")
    accompaniment.reach("team_awareness", date(2023, 3, 10))
    accompaniment.reach("missions_defined", date(2023, 4, 1))
    with pytest.raises(RuleBrokenError, match="only the last milestone.*missions_defined"):
        accompaniment.retract("team_awareness", "Erreur")
    with pytest.raises(InvalidValueError, match="why"):
        accompaniment.retract("missions_defined", "  ")
    accompaniment.hire(date(2023, 6, 1), peer_worker_id=uuid4())
    accompaniment.close("hired", date(2023, 9, 1))
    accompaniment.collect_events()
    with pytest.raises(RuleBrokenError, match="reopen it first"):
        accompaniment.retract("peer_worker_hired", "Erreur")
    assert accompaniment.collect_events() == []


def test_a_hiring_retracted_names_the_hiring_and_the_accompaniment_no_longer_closes_as_hired():
    accompaniment = opened()
    peer_worker_id = uuid4()
    first = accompaniment.hire(date(2023, 5, 1), peer_worker_id=peer_worker_id)
    second = accompaniment.hire(date(2023, 6, 1), new_peer_worker=NewPeerWorker("38", ("addiction",)))
    accompaniment.collect_events()

    assert accompaniment.retract("peer_worker_hired", "Pas embauché finalement") == second
    [retracted] = accompaniment.collect_events()
    assert isinstance(retracted, Accompaniment.MilestoneRetracted)
    assert (retracted.hiring_id, retracted.peer_worker_id) == (second.hiring_id, second.peer_worker_id)
    assert (retracted.occurred_on, retracted.still_reached_on) == (date(2023, 6, 1), date(2023, 5, 1))

    accompaniment.retract("peer_worker_hired", "Erreur de dossier")
    [retracted] = accompaniment.collect_events()
    assert (retracted.hiring_id, retracted.peer_worker_id, retracted.still_reached_on) == (first.hiring_id, peer_worker_id, None)
    with pytest.raises(RuleBrokenError, match="closes as hired only once"):
        accompaniment.close("hired", date(2023, 9, 1))
    accompaniment.reach("team_awareness", date(2023, 7, 1))
    accompaniment.collect_events()
    accompaniment.retract("team_awareness", "Erreur")
    [retracted] = accompaniment.collect_events()
    assert (retracted.hiring_id, retracted.peer_worker_id) == (None, None)


def test_reopening_takes_back_a_closure_and_the_accompaniment_goes_on():
    accompaniment = opened()
    with pytest.raises(RuleBrokenError, match="not closed"):
        accompaniment.reopen("Erreur")
    accompaniment.close("abandoned", date(2023, 9, 1))
    with pytest.raises(InvalidValueError, match="why"):
        accompaniment.reopen("")
    accompaniment.collect_events()
    accompaniment.reopen("Fermé par erreur")
    [reopened] = accompaniment.collect_events()
    assert (reopened.outcome, reopened.closed_on, reopened.reason) == ("abandoned", date(2023, 9, 1), "Fermé par erreur")
    assert (accompaniment.closed_on, accompaniment.outcome) == (None, None)
    accompaniment.reach("follow_up_meeting", date(2023, 9, 2))
    accompaniment.close("redirected", date(2023, 10, 1))
    assert accompaniment.outcome == "redirected"
