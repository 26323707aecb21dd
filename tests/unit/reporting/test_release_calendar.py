"""The release dates: 31 December of each closed year from the first fact's, quarter ends
when set, none still open; which figures a revision moved; and when the publisher looks."""

import asyncio
from datetime import date

from peerwork_reporting.releases.calendar import first_release_day, release_days
from peerwork_reporting.releases.figure_paths import moved
from peerwork_reporting.releases.publisher import Publisher


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


def test_the_publisher_waits_for_the_views_to_stand_still_for_a_look():
    """A bulk load makes one version, not one per batch: the publisher publishes only when
    the views' position is the one it saw at the previous look."""
    positions = iter([1, 2, 3, 3, 3])
    seen: list[int] = []  # each position looked at
    looks: list[int] = []  # the position at each publishing

    class Looking(Publisher):
        def publish(self) -> list:
            looks.append(seen[-1])
            return []

    def position() -> int:
        seen.append(next(positions))
        return seen[-1]

    async def settled() -> bool:
        return True

    publisher = Looking(None, None, 10, False, date.today, position)  # type: ignore[arg-type]

    async def five_looks() -> None:
        task = asyncio.create_task(publisher.run(0.001, settled))
        while len(looks) < 2:
            await asyncio.sleep(0.001)
        task.cancel()

    asyncio.run(asyncio.wait_for(five_looks(), 10))
    assert looks == [3, 3]  # not at 1, 2, nor at the first 3: the views had just moved


def test_the_publisher_stops_even_when_a_cancellation_is_dropped():
    """On Python 3.11, ``asyncio.wait_for`` inside nats-py drops a cancellation that comes
    with its answer: ``settled`` here drops every one. ``stop`` still ends the loop."""
    class Idle(Publisher):
        def publish(self) -> list:
            return []

    async def settled() -> bool:
        try:
            await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            pass  # as a dropped cancellation
        return False

    publisher = Idle(None, None, 10, False, date.today, lambda: 1)  # type: ignore[arg-type]

    async def stopped() -> None:
        task = asyncio.create_task(publisher.run(0.01, settled))
        await asyncio.sleep(0.05)
        publisher.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(asyncio.wait_for(stopped(), 5))
