"""The attacker on publications made by hand: what it finds, and that it finds nothing where
nothing can be learnt. No service: these are its own rules."""

from datetime import date

from .collect import Publication
from .ilp import SUPPRESSED, attack, attack_report

DOMAINS = ["mental_health", "disability", "precarity_homelessness", "addiction", "violence", "other"]


def national(day: date, peer_workers: int, employed: int, **domains: int) -> Publication:
    answer = {
        "peer_workers": peer_workers,
        "employed_peer_workers": employed,
        "peer_workers_by_domain": {d: domains.get(d, 0) for d in DOMAINS},
    }
    return Publication(day.isoformat(), day, {"/stats/national": answer})


def trainings(day: date, participants: object, cells: list[tuple[int, int, object]]) -> Publication:
    """National training figures of one kind and audience: ``cells`` (year, sessions,
    participants)."""
    kind, audience = "peer_worker_training", "peer_workers"
    answer = {
        "as_of": day.isoformat(), "region": None, "departement": None, "participants": participants,
        "by_kind": [{"kind": kind, "participants": participants}],
        "by_audience": [{"audience": audience, "participants": participants}],
        "by_year": [
            {"year": year, "kind": kind, "audience": audience, "sessions": sessions, "participants": count}
            for year, sessions, count in cells
        ],
    }
    return Publication(day.isoformat(), day, {"/stats/trainings": answer})


def test_one_more_peer_worker_from_one_day_to_the_next_is_one_person_with_their_domains():
    findings = attack([
        national(date(2022, 3, 1), 40, 20, mental_health=30, addiction=25),
        national(date(2022, 3, 2), 41, 20, mental_health=31, addiction=26),
    ])
    people = [f for f in findings if f.kind == "one person"]
    assert [f.subject[4:] for f in people] == [(1, ("addiction", "mental_health"))]
    assert "not employed" in people[0].what


def test_a_session_delivered_between_two_published_totals_has_its_attendance_read_off():
    report = attack_report([
        trainings(date(2022, 3, 1), 30, [(2021, 2, 30)]),
        trainings(date(2022, 3, 2), 34, [(2021, 2, 30), (2022, 1, SUPPRESSED)]),
    ])
    (session,) = [f for f in report.of("session attendance") if f.subject[2] == date(2022, 3, 2)]
    assert (session.low, session.high) == (4, 4)
    assert any(f.what.startswith("participants of 2022") and f.exact for f in report.of("hidden figure"))


def test_figures_that_do_not_move_and_hide_nothing_give_nothing_away():
    assert attack([
        national(date(2022, 3, 1), 40, 20, mental_health=30, addiction=25),
        national(date(2022, 3, 2), 40, 20, mental_health=30, addiction=25),
        trainings(date(2022, 3, 1), 30, [(2021, 2, 30)]),
        trainings(date(2022, 3, 2), 30, [(2021, 2, 30)]),
    ]) == []
