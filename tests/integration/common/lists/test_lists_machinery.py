"""The lists' shared machinery (peerwork_common.lists) on SQLite and PostgreSQL: a view fed
from the application's own log, its position tracked with its rows, caught up before a read,
rebuilt from the log; keyset pages in a stable order."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, Tracking

from peerwork_common.eventstore.application import WriteApplication
from peerwork_common.eventstore.datastores import datastore_of
from peerwork_common.lists.pages import BadCursorError, Keyset, Order
from peerwork_common.lists.projection import ListProjection
from peerwork_common.lists.runner import InlineRunner
from peerwork_common.lists.search import blind_index, fold, like_pattern
from peerwork_common.lists.view import ListView


class Thing(Aggregate):
    @event("Named")
    def __init__(self, name: str) -> None:
        self.name = name

    @event("Renamed")
    def rename(self, name: str) -> None:
        self.name = name


class Things(WriteApplication):
    name = "things"
    migrations = (Path(__file__).with_name("things_migrations"),)


class ThingList(ListProjection):
    name = "things_list"

    def apply(self, domain_event: Any, cursor: Any) -> None:
        things = self.view.table("things")
        if isinstance(domain_event, Thing.Named):
            cursor.execute(self.view.sql(f"INSERT INTO {things} (id, name_key) VALUES (?, ?)"),
                           (str(domain_event.originator_id), fold(domain_event.name)))
        elif isinstance(domain_event, Thing.Renamed):
            cursor.execute(self.view.sql(f"UPDATE {things} SET name_key = ? WHERE id = ?"),
                           (fold(domain_event.name), str(domain_event.originator_id)))


KEYSET = Keyset({"name": Order("name_key"), "-name": Order("name_key", descending=True)})


def runner_of(application: Things) -> InlineRunner:
    view = ListView(datastore_of(application), "things_list", ["things"])
    return InlineRunner(application, ThingList(view))


@pytest.fixture
def things(store_env):
    application = Things(env=store_env)
    yield application, runner_of(application)
    application.close()


def rows(runner: InlineRunner, sort: str = "name", cursor: str | None = None, limit: int = 50,
         conditions=(), values=()) -> tuple[list[str], str | None]:
    view = runner.projection.view
    query, params = KEYSET.query(f"SELECT id, name_key FROM {view.table('things')}", conditions, values, sort, cursor, limit)
    with view.reading() as db:
        db.execute(view.sql(query), params)
        found = [dict(row) for row in db.fetchall()]
    page, following = KEYSET.page(found, sort, limit, lambda row: (row["name_key"], row["id"]))
    return [row["name_key"] for row in page], following


def save(application: Things, *names: str) -> list[Thing]:
    made = [Thing(name) for name in names]
    application.save(*made)
    return made


def test_a_read_after_catching_up_shows_every_write_before_it(things):
    application, runner = things
    thing, = save(application, "Élise")
    assert rows(runner)[0] == []  # not caught up yet
    runner.catch_up()
    assert rows(runner)[0] == ["elise"]
    thing.rename("Zoé")
    application.save(thing)
    assert runner.catch_up() == application.recorder.max_notification_id()
    assert rows(runner)[0] == ["zoe"]


def test_the_position_is_recorded_with_the_rows_and_never_applied_twice(things):
    application, runner = things
    save(application, "a", "b")
    runner.catch_up()
    position = runner.position
    with pytest.raises(IntegrityError):  # what another process would find: already applied
        runner.projection.process_events([], Tracking("things", position))
    # A second process's view of the same database catches up to the same rows.
    other = Things(env=application.env)
    try:
        save(other, "c")
        assert runner_of(other).catch_up() == runner.catch_up() == position + 1
        assert rows(runner)[0] == ["a", "b", "c"]
    finally:
        other.close()


def test_a_failed_batch_changes_neither_rows_nor_position(things):
    application, runner = things
    save(application, "a")
    runner.catch_up()
    before = runner.position
    save(application, "b")
    broken = runner.projection.apply

    def failing(domain_event: Any, cursor: Any) -> None:
        broken(domain_event, cursor)
        raise RuntimeError("the database went away")

    runner.projection.apply = failing
    with pytest.raises(RuntimeError):
        runner.catch_up()
    assert (runner.position, rows(runner)[0]) == (before, ["a"])
    runner.projection.apply = broken
    runner.catch_up()
    assert rows(runner)[0] == ["a", "b"]


def test_a_rebuild_from_the_log_gives_the_same_rows(things):
    application, runner = things
    first, _ = save(application, "Marie", "Léa")
    first.rename("Anne")
    application.save(first)
    runner.catch_up()
    before = rows(runner)
    view = runner.projection.view
    with view.datastore.transaction(commit=True) as db:  # the view drifted (a bug, a lost row)
        db.execute(f"DELETE FROM {view.table('things')}")
    assert rows(runner)[0] == []
    assert runner.rebuild() == application.recorder.max_notification_id()
    assert rows(runner) == before == (["anne", "lea"], None)


def test_pages_follow_one_another_in_a_stable_order(things):
    application, runner = things
    save(application, *["b", "a", "c", "a", "b"])
    runner.catch_up()
    assert rows(runner, limit=5) == (["a", "a", "b", "b", "c"], None)  # exactly limit rows: no next
    first, following = rows(runner, limit=2)
    assert first == ["a", "a"] and following is not None
    second, following = rows(runner, limit=2, cursor=following)
    third, last = rows(runner, limit=2, cursor=following)
    assert (second, third, last) == (["b", "b"], ["c"], None)
    assert rows(runner, "-name", limit=4)[0] == ["c", "b", "b", "a"]
    assert rows(runner, limit=2, conditions=["name_key LIKE ? ESCAPE '\\'"], values=[like_pattern("b")])[0] == ["b", "b"]


@pytest.mark.parametrize("cursor", ["", "not a cursor", "W10", "WyJuYW1lIiwxLDJd"])
def test_a_cursor_the_list_did_not_give_is_refused(things, cursor):
    _, runner = things
    with pytest.raises(BadCursorError):
        rows(runner, cursor=cursor)


def test_a_cursor_of_another_order_is_refused(things):
    application, runner = things
    save(application, "a", "b")
    runner.catch_up()
    _, following = rows(runner, limit=1)
    with pytest.raises(BadCursorError, match="order 'name', not '-name'"):
        rows(runner, "-name", cursor=following)


def test_folding_and_blind_indexes():
    assert fold("  Élise   MARTIN-Ørsted ") == "elise martin-ørsted"
    assert fold("ÇA ŒUVRE") == "ca œuvre"
    assert blind_index(b"k", "Élise Martin") == blind_index(b"k", "elise  martin")
    assert blind_index(b"k", "Élise") != blind_index(b"other key", "Élise")
    assert like_pattern("100%_a\\") == "%100\\%\\_a\\\\%"


def test_views_of_two_processes_catching_up_at_once_apply_each_notification_once(things):
    """The second to record the position finds it recorded, and reads on from there."""
    application, runner = things
    save(application, *[f"n{n:02}" for n in range(60)])
    other = Things(env=application.env)
    try:
        runners = [runner, runner_of(other)]
        both_read = threading.Barrier(2, timeout=10)
        for each in runners:  # both read the same notifications before either applies them
            def batch(after: int, read=each._batch):  # noqa: ANN001, ANN202
                found = read(after)
                if after == 0:
                    both_read.wait()
                return found
            each._batch = batch
        with ThreadPoolExecutor(max_workers=2) as pool:
            reached = list(pool.map(lambda each: each.catch_up(), runners))
        assert reached == [application.recorder.max_notification_id()] * 2
        assert rows(runner, limit=500)[0] == [f"n{n:02}" for n in range(60)]
    finally:
        other.close()
