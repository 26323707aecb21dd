"""The attacker on publications made by hand: what it finds, and that it finds nothing where
nothing can be learnt. No service: these are its own rules."""

from datetime import date

from peerwork_contracts import geography

from .collect import Publication
from .ilp import SUPPRESSED, attack, attack_report

DOMAINS = ["mental_health", "disability", "precarity_homelessness", "addiction", "violence", "other"]


# The releases' rules (see tests.attack.ilp).
RELEASES = {"census_zeros_published": False, "published_changes": False}


def national(day: date, peer_workers: int, employed: int, version: int = 1, **domains: int) -> Publication:
    answer = {
        "peer_workers": peer_workers,
        "employed_peer_workers": employed,
        "peer_workers_by_domain": {d: domains.get(d, 0) for d in DOMAINS},
    }
    return Publication(f"{day.isoformat()} version {version}", day, {"/stats/national": answer}, version)


def with_regions(publication: Publication, **regions: tuple[object, object]) -> Publication:
    """``publication`` with the régions' figures: ``regions`` by "r" + code, (peer workers,
    their domains: each a count or "suppressed", or "suppressed" for them all); every
    other région published as 0."""
    answers = {"regions": [
        {
            "code": code, "peer_workers": figures[0], "employed_peer_workers": 0,
            "peer_workers_by_domain": figures[1],
        }
        for code in geography.REGIONS
        for figures in [regions.get(f"r{code}", (0, dict.fromkeys(DOMAINS, 0)))]
    ]}
    return Publication(publication.label, publication.day, {**publication.answers, "/stats/regions": answers},
                       publication.version)


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


def test_a_hidden_census_figure_is_at_least_one_only_while_zeros_are_published():
    # Two régions hidden, six people nationally: each holds 1 to 5 if a hidden figure is
    # never a zero, and says nothing if it may be one.
    day = date(2022, 12, 31)
    hidden = (SUPPRESSED, {d: SUPPRESSED if d == "mental_health" else 0 for d in DOMAINS})
    publication = with_regions(national(day, 6, 0, mental_health=6), r84=hidden, r93=hidden)
    narrowed = [f for f in attack([publication]) if f.kind == "hidden figure"]
    assert {(f.subject[2], f.subject[3], f.low, f.high) for f in narrowed} >= {
        (("region", "84"), "peer_workers", 1, 5), (("region", "93"), "peer_workers", 1, 5),
    }
    assert attack([publication], census_zeros_published=False) == []


def test_a_place_whose_domains_are_all_suppressed_is_attacked_on_its_other_figures():
    # Nationally published domains and a single région holding everyone: its hidden domains
    # are those of the nation (above the threshold: no finding), whether hidden one by one
    # or all at once.
    day = date(2022, 12, 31)
    for domains in (SUPPRESSED, dict.fromkeys(DOMAINS, SUPPRESSED)):
        publication = with_regions(national(day, 30, 0, mental_health=20, addiction=12), r84=(30, domains))
        report = attack_report([publication], **RELEASES)
        assert report.findings == []
        assert report.exact["hidden census figure"] == len(DOMAINS)


def test_between_releases_of_different_days_a_published_figure_s_change_is_not_a_count_of_people():
    assert attack([
        national(date(2022, 12, 31), 40, 20, mental_health=30, addiction=25),
        national(date(2023, 12, 31), 41, 20, mental_health=31, addiction=26),
    ], **RELEASES) == []


def test_between_two_versions_of_one_release_every_change_is_a_count_of_people():
    findings = attack([
        national(date(2022, 12, 31), 40, 20, mental_health=30, addiction=25),
        national(date(2022, 12, 31), 41, 20, version=2, mental_health=31, addiction=26),
    ], **RELEASES)
    people = [f for f in findings if f.kind == "one person"]
    assert [(f.subject[4:], f.versions) for f in people] == [((1, ("addiction", "mental_health")), (1, 2))]
    assert {f.subject[4] for f in findings if f.kind == "net change"} == {
        "peer_workers", "domain:mental_health", "domain:addiction",
    }


def by_sector(publication: Publication, **sectors: object) -> Publication:
    """``publication`` with its national employed by sector (every other sector 0)."""
    answer = publication.answers["/stats/national"]
    answer["employed_by_sector"] = {s: sectors.get(s, 0) for s in SECTORS}
    return publication


SECTORS = ["shelter_housing", "mental_health", "addiction", "disability", "employment_insertion", "culture", "other"]


def test_a_sector_moved_by_one_between_two_versions_of_a_release_is_one_person():
    # What the releases' disclosure hides: one late employment moves a published sector by 1.
    day = date(2022, 12, 31)
    findings = attack([
        by_sector(national(day, 40, 20, mental_health=40), culture=12, mental_health=8),
        by_sector(national(day, 40, 21, version=2, mental_health=40), culture=13, mental_health=8),
    ], **RELEASES)
    assert {(f.subject[4], f.low, f.high) for f in findings if f.kind == "net change"} == {
        ("employed_peer_workers", 1, 1), ("employed_sector:culture", 1, 1),
    }


def test_a_sector_hidden_alone_is_known_from_below_only():
    # Everyone employed counts in one sector at least: of 20 employed, 17 in culture, the
    # hidden sector holds the other 3 at least, and any of the 17 besides: not pinned.
    day = date(2022, 12, 31)
    publication = by_sector(national(day, 40, 20, mental_health=40), culture=17, mental_health=SUPPRESSED)
    report = attack_report([publication], **RELEASES)
    assert report.findings == [] and report.examined["hidden census figure"] == 1


def test_two_hidden_sectors_may_each_hold_anyone_employed():
    # As the releases publish them: the small one is joined by the least other, and one
    # employed in two sectors counts in both, so neither is pinned.
    day = date(2022, 12, 31)
    publication = by_sector(national(day, 40, 20, mental_health=40),
                            culture=17, mental_health=SUPPRESSED, addiction=SUPPRESSED)
    report = attack_report([publication], **RELEASES)
    assert report.findings == []
    assert report.examined["hidden census figure"] == 2
