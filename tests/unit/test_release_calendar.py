"""The release dates: 31 December of each closed year from the first fact's, quarter ends
when set, none still open; and which figures a revision moved."""

from datetime import date

from peerwork_reporting.releases.calendar import first_release_day, release_days
from peerwork_reporting.releases.figures import moved


def test_each_closed_year_from_the_first_fact_s_is_released():
    assert release_days(date(2021, 5, 3), date(2024, 1, 1), False) == [
        date(2021, 12, 31), date(2022, 12, 31), date(2023, 12, 31)
    ]
    assert release_days(date(2023, 5, 3), date(2023, 12, 31), False) == []  # not closed yet
    assert release_days(None, date(2024, 1, 1), False) == []


def test_quarter_ends_are_released_once_closed_when_set():
    assert release_days(date(2023, 5, 3), date(2024, 4, 1), True) == [
        date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31), date(2024, 3, 31)
    ]


def test_a_fact_dated_before_2000_releases_nothing_before_2000():
    assert release_days(date(1, 1, 1), date(2001, 6, 1), False) == [date(2000, 12, 31)]


def test_the_first_release_day_is_the_next_reference_date():
    assert first_release_day(date(2024, 3, 15), False) == date(2024, 12, 31)
    assert first_release_day(date(2024, 3, 15), True) == date(2024, 3, 31)


def test_the_figures_that_moved_include_those_that_appeared_or_went():
    before = {"national.peer_workers": 20, "regions.84.peer_workers": 20, "departments.38.x": 1}
    after = {"national.peer_workers": 21, "regions.84.peer_workers": 20, "departments.69.x": 1}
    assert moved(before, after) == ["departments.38.x", "departments.69.x", "national.peer_workers"]
