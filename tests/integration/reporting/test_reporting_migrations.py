"""Reporting's statistics store and its releases are made and changed by versioned
migrations (``peerwork_reporting/migrations/``): from an empty database, from the files the
last release before them made (``tests/fixtures/make_reporting_store_v1.py``), and with
replicas opening one empty schema together."""

import shutil
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import httpx
import psycopg

from peerwork_reporting.bootstrap import bootstrap
from peerwork_reporting.config import Settings
from peerwork_reporting.reads.statistics import Statistics
from peerwork_reporting.storage.releases import ReleaseStore
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import ServedApp, bearer, new_schema
from tests.integration.statistics_locations import postgres_schema

FIXTURES = Path(__file__).parents[2] / "fixtures"
VIEWS, RELEASES = ["reporting_0001_views"], ["reporting_releases_0001_baseline"]


def test_an_empty_store_and_releases_are_migrated_once(statistics_location):
    for opening, applied in ((StatisticsStore, VIEWS), (ReleaseStore, RELEASES)):
        first = opening(statistics_location(opening.__name__.lower()))
        first.close()
        assert first.migrated == applied
        again = opening(statistics_location(opening.__name__.lower()))
        again.close()
        assert again.migrated == []


def test_the_previous_release_store_keeps_its_figures_and_serves(tmp_path):
    store = tmp_path / "reporting.sqlite"
    shutil.copy(FIXTURES / "reporting_store_v1.sqlite", store)
    shutil.copy(FIXTURES / "reporting_store_v1-releases.sqlite", tmp_path / "reporting-releases.sqlite")
    before = _tables(store)
    assert _migrate(store) == "applied reporting_0001_views, reporting_releases_0001_baseline"
    assert _tables(store) == before  # the baseline made nothing it had
    settings = Settings(store_path=store, consumer_enabled=False, public_requests_per_minute=0)
    with ServedApp(bootstrap(settings)) as server, httpx.Client(base_url=server.url) as api:
        figures = api.get("/stats/national", params={"as_of": "2021-06-01", "exact": "true"},
                          headers=bearer("analyst"))
        assert figures.status_code == 200, figures.text
        assert (figures.json()["peer_workers"], figures.json()["partner_structures"]) == (1, 1)
        (release,) = api.get("/stats/releases").json()["releases"]
        assert release["day"] == "2023-12-31"
    assert _migrate(store) == "up to date"


def test_a_schema_made_as_the_previous_release_did_keeps_its_figures(postgres_env):
    # The fixture's own tables and rows, in a schema as that release made it on PostgreSQL
    # (``WITHOUT ROWID`` left out, as it did; ``store_in_use``, made by reading the pointer).
    location = postgres_schema(postgres_env, new_schema(postgres_env))
    with sqlite3.connect(FIXTURES / "reporting_store_v1.sqlite") as fixture, psycopg.connect(
        location.conninfo, autocommit=True
    ) as connection:
        connection.execute(f"SET search_path TO {location.name}")
        connection.execute("CREATE TABLE store_in_use (schema_name TEXT NOT NULL)")
        for name, made in fixture.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall():
            connection.execute(made.replace(" WITHOUT ROWID", ""))
            if made.startswith("CREATE TABLE"):
                rows = fixture.execute(f"SELECT * FROM {name}").fetchall()
                if rows:
                    marks = ", ".join(["%s"] * len(rows[0]))
                    connection.cursor().executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    fixture.close()
    assert location.in_use() == location
    store = StatisticsStore(location)
    try:
        assert store.migrated == VIEWS
        figures = Statistics(store, threshold=10).national(date(2021, 6, 1), exact=True)
        assert (figures.peer_workers, figures.partner_structures) == (1, 1)
    finally:
        store.close()
    again = StatisticsStore(location)
    again.close()
    assert again.migrated == []


def test_replicas_opening_an_empty_schema_together_all_open(postgres_env):
    # yoyo's lock: one replica migrates, the other waits for it, then finds nothing to do.
    failures: list[Exception] = []
    applied: list[list[str]] = []
    for _ in range(5):
        location = postgres_schema(postgres_env, new_schema(postgres_env))
        together = threading.Barrier(2)

        def start(location=location, together=together) -> None:
            together.wait()
            try:
                store = StatisticsStore(location)
                store.close()
                applied.append(store.migrated)
            except Exception as error:  # noqa: BLE001 (collected, then asserted on)
                failures.append(error)

        replicas = [threading.Thread(target=start) for _ in range(2)]
        for replica in replicas:
            replica.start()
        for replica in replicas:
            replica.join()
    assert failures == []
    assert sorted(applied) == [[]] * 5 + [VIEWS] * 5


def _migrate(store: Path) -> str:
    """``python -m peerwork_reporting migrate`` on the store at ``store``: what it printed."""
    env = {"REPORTING_STORE_PATH": str(store), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "peerwork_reporting", "migrate"], env=env, check=False,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _tables(path: Path) -> set[tuple[str, str]]:
    """Each table and index of the file with the SQL that made it, yoyo's left out."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE '%yoyo%'").fetchall()
    connection.close()
    return set(rows)
