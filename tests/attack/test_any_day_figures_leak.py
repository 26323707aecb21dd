"""Issue 13, item 4, "show that it can fail": the attacker of ``tests.attack.ilp``, pointed at
the any-day protected figures (every day of a month, as the public could ask them before
releases, and as analysts still read them without ``exact``),
finds hidden counts of people pinned inside 1..threshold, as the issue found them on the demo:

- day-to-day differences of the national and région figures show one person entering or
  leaving a région, with their domains of intervention;
- the training participants published each day name the cell each session belongs to and
  give its attendance, and so the hidden cells of the national table;
- figures hidden on some days are read off those of others (a training cell published
  one day and hidden the next holds the same sessions: it stays readable).

Besides, within a single day, most hidden counts of the census are narrowed to a range
inside 1..threshold (1..5 for two hidden départements summing to 6): today's disclosure
control promises only that a hidden figure can take two values, which item 4 asks more than.

The attacker is checked for soundness against the exact figures (an analyst's): each of its
findings holds. On this history the attack solves 872 programs, in 12 to 17 s on two shared
cores; the whole test, services and load included, about 35 s.

Its other half is ``test_releases_hold``: the same history and a late record that makes a
revision, every public figure of every release version, and no finding expected.
"""

import time
from datetime import date, timedelta

import httpx
import pytest

from tests.e2e.services import ANALYST

from .collect import collect_days, collect_years, public_statistics_routes
from .history import WINDOW_END, WINDOW_START, History
from .ilp import THRESHOLD, Report, attack_report, census_figures

REGIONS = ("84", "93")  # the régions of the history
DAYS = [WINDOW_START + timedelta(days=n) for n in range((WINDOW_END - WINDOW_START).days + 1)]


@pytest.mark.timeout(600)
def test_todays_any_day_figures_give_away_hidden_counts(reporting_url: str, history: History):
    # The public reads releases only: the any-day protected figures are an analyst's now,
    # and they still give away hidden counts to whoever reads them day after day.
    with httpx.Client(base_url=reporting_url, timeout=30, headers=ANALYST) as client:
        routes = public_statistics_routes(client)
        started = time.perf_counter()
        publications = collect_days(client, DAYS, REGIONS) + collect_years(client, [2021], WINDOW_END)
        collected = time.perf_counter() - started
    # The collector reads routes the API serves to anyone (a token only widens them).
    assert {"/stats/national", "/stats/regions", "/stats/regions/{code}", "/stats/trainings",
            "/stats/series", "/reports/annual/{year}"} <= set(routes)

    started = time.perf_counter()
    # The census of one day is protected as a release's (a hidden place's zeros hidden too);
    # what still leaks is what only releases stop: reading the figures day after day.
    report = attack_report(publications, THRESHOLD, census_zeros_published=False)
    attacked = time.perf_counter() - started
    print(_summary(report, collected, attacked))

    _every_finding_is_true(report, reporting_url, history)

    # Day-to-day differences of the national and région figures: each person who entered
    # or left a région, on their day; nationally, with their full set of domains (domains are
    # published nationally only).
    people = {f.subject[2:] for f in report.of("one person") if f.subject[3] == ("nation", "FR")}
    changes = {f.subject[2:4] + (f.low,) for f in report.of("net change")
               if f.subject[4] == "peer_workers" and f.low == f.high}
    for day, events in history.events.items():
        (event,) = events
        for region, sign in event.regions():
            assert (day, ("region", region), sign) in changes, (day, event)
        if event.kind in ("register", "withdraw"):
            assert (day, ("nation", "FR"), event.regions()[0][1], event.domains) in people, (day, event)

    # The trainings published each day name the cell each session belongs to (its
    # sessions count rises on its day) and the totals give its attendance: every small one
    # of the window comes out exactly, and with it the hidden cells of the national table.
    attendance = {(f.subject[1], f.subject[2]): f for f in report.of("session attendance")}
    for session in history.sessions:
        if session.ends_on >= WINDOW_START and 1 <= session.attended <= THRESHOLD:
            finding = attendance[((session.ends_on.year, session.kind, session.audience), session.ends_on)]
            assert (finding.low, finding.high) == (session.attended, session.attended), session
    assert any(f.exact and f.subject[0] == "training" for f in report.of("hidden figure"))
    # Cells hidden on a day hold the same sessions as on a day they were published.
    assert report.exact["hidden training figure published another day"] >= 1


def _every_finding_is_true(report: Report, reporting_url: str, history: History) -> None:
    """The attacker is sound: what it claims holds of the exact figures (an analyst's)."""
    with httpx.Client(base_url=reporting_url, timeout=30, headers=ANALYST) as client:
        # The days of the window, and the 31 December of the annual report read.
        truth = census_figures(collect_days(client, [date(2021, 12, 31), *DAYS], REGIONS, exact="true"))
    attended = {((s.ends_on.year, s.kind, s.audience), s.ends_on): s.attended for s in history.sessions}
    for finding in report.findings:
        kind, *subject = finding.subject
        if kind == "figure" and subject[0] in truth:
            day, place, metric = subject
            assert finding.low <= truth[day][(place, metric)] <= finding.high, finding
        elif kind == "change":
            before, after, place, metric = subject
            change = truth[after][(place, metric)] - truth[before][(place, metric)]
            assert finding.low <= change <= finding.high, finding
        elif kind == "session" and subject[2] == 1 and (subject[0], subject[1]) in attended:
            assert finding.low <= attended[(subject[0], subject[1])] <= finding.high, finding


def _summary(report: Report, collected: float, attacked: float) -> str:
    lines = [
        f"collected in {collected:.1f}s, attacked in {attacked:.1f}s ({report.solves} programs solved)",
        f"examined {dict(report.examined)}, exactly known {dict(report.exact)}",
    ]
    for kind in ("hidden figure", "net change", "one person", "session attendance"):
        found = report.of(kind)
        lines.append(f"{kind}: {len(found)} findings, {sum(f.exact for f in found)} exact")
    lines += [str(f) for f in report.findings if f.exact and f.kind in ("hidden figure", "session attendance")]
    return "\n".join(lines)
