"""Issue 13, item 4, "show that it can fail": the attacker of ``tests.attack.ilp``, pointed at
today's any-day public figures (every day of a month, as an outside reader may ask them),
finds hidden counts of people pinned inside 1..threshold, as the issue found them on the demo:

- day-to-day differences of the national and région figures show one person entering or
  leaving a région, with their domains of intervention;
- the training participants published each day name the cell each session belongs to and
  give its attendance, and so the hidden cells of the national table;
- figures hidden on some days are read off those of others.

When releases exist, ``test_the_releases_give_nothing_away`` (to write then) runs the same
``attack`` over every release and expects no finding at all.
"""

import time
from datetime import timedelta

import httpx
import pytest

from .collect import collect_days, collect_years, public_statistics_routes
from .history import WINDOW_END, WINDOW_START, History
from .ilp import THRESHOLD, attack_report

REGIONS = ("84", "93")  # the régions of the history


@pytest.mark.timeout(600)
def test_todays_any_day_figures_give_away_hidden_counts(reporting_url: str, history: History):
    with httpx.Client(base_url=reporting_url, timeout=30) as client:
        routes = public_statistics_routes(client)
        days = [WINDOW_START + timedelta(days=n) for n in range((WINDOW_END - WINDOW_START).days + 1)]
        publications = collect_days(client, days, REGIONS) + collect_years(client, [2021], WINDOW_END)
    # Every public statistics route the collector reads is one the API serves to anyone.
    assert {"/stats/national", "/stats/regions/{code}", "/stats/trainings", "/stats/series",
            "/reports/annual/{year}"} <= set(routes)

    started = time.perf_counter()
    report = attack_report(publications, THRESHOLD)
    seconds = time.perf_counter() - started
    summary = {
        "solves": report.solves, "seconds": round(seconds, 1),
        "examined": dict(report.examined), "exact": dict(report.exact),
        "findings": {kind: len(report.of(kind)) for kind in
                     ("hidden figure", "net change", "one person", "session attendance")},
    }
    print(summary)
    for finding in report.findings:
        print(finding)
    assert report.findings
