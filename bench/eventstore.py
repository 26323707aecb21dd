"""Baseline 1a: eventsourcing's own save rate, one new aggregate per ``save()``."""

import logging
from pathlib import Path
from time import perf_counter

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from peerwork_common.devtools.embedded_postgres import embedded_postgres

log = logging.getLogger(__name__)


class Thing(Aggregate):
    """The most trivial aggregate: its only event is its creation."""


class SaveRate(Application):
    name = "benchsaverate"


def save_rate(env: dict[str, str], n: int) -> float:
    """Events per second for ``n`` sequential saves of one new aggregate each."""
    app = SaveRate(env=env)
    try:
        app.save(Thing())  # warm-up: tables created, connection open
        started = perf_counter()
        for _ in range(n):
            app.save(Thing())
        return n / (perf_counter() - started)
    finally:
        app.close()


def sqlite_save_rate(workdir: Path, n: int) -> float:
    return save_rate(
        {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(workdir / "baseline.sqlite")},
        n,
    )


def postgres_save_rate(workdir: Path, n: int) -> tuple[float | None, str]:
    """The same on an embedded PostgreSQL; (None, reason) when one cannot be started."""
    try:
        with embedded_postgres(workdir / "pgdata") as env:
            return save_rate(env, n), "embedded PostgreSQL, Unix socket"
    except Exception as error:  # noqa: BLE001 - any failure only skips this figure
        log.warning("PostgreSQL baseline skipped: %r", error)
        return None, f"skipped: {type(error).__name__}: {error}"
