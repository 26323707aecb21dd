"""``python -m bench`` (or ``make bench``): measures each stage against its baseline.

Everything runs in a fresh temporary directory, against nats-servers started here on free
ports; the directory is deleted at the end unless ``--keep`` is given or a stage failed.
"""

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from typing import Any, TypeVar

import uvloop

from .eventstore import postgres_save_rate, sqlite_save_rate
from .history import long_history, summary
from .imports import import_rate
from .jetstream import raw_rates
from .pipeline import run_pipeline
from .processes import start_nats
from .projection import projection_rate
from .relay import relay_rate
from .report import Report

SAVES = 2000  # eventsourcing baseline: one new aggregate per save()
RAW_MESSAGES = 20000  # plain JetStream publish / consume baselines
RELAYED = 20000  # registrations relayed, then projected
COMMANDS = 2000  # HTTP commands of the pipeline throughput run
IMPORTED = 10000  # rows of the import stage's spreadsheet
CONCURRENCY = 16
PACED_RATE = 100.0  # commands/s of the latency run
PACED_SECONDS = 10.0
HISTORY = 1_000_000  # events of the long history: rebuild and point-in-time queries

T = TypeVar("T")


def _stage(name: str, run: Callable[[], T]) -> T:
    print(f"... {name}", end="", flush=True)
    started = perf_counter()
    result = run()
    print(f" ({perf_counter() - started:.1f}s)", flush=True)
    return result


async def _astage(name: str, run: Callable[[], Any]) -> Any:
    print(f"... {name}", end="", flush=True)
    started = perf_counter()
    result = await run()
    print(f" ({perf_counter() - started:.1f}s)", flush=True)
    return result


async def measure_history(workdir: Path, report: Report, total: int) -> None:
    nats_server, nats_url = start_nats(workdir, "history")
    try:
        history = await _astage(
            f"long history of {total:,} events: replay, rebuild, région queries",
            lambda: long_history(workdir, nats_url, total),
        )
    finally:
        nats_server.stop()
    figures = summary(history)
    report.info("raw JetStream replay (baseline)", f"{history.replay_rate:,.0f} msgs/s")
    report.ratio(f"rebuild of {history.published:,} events", history.rebuild_rate, "events/s",
                 "raw replay", history.replay_rate, 0.5)
    report.info("first read after the rebuild (info)", f"{history.first_read_s:.2f} s")
    report.below("région as of a day, protected, p50 (info)", figures["public_p50"], None)
    report.below("région as of a day, protected, p99", figures["public_p99"], 20)
    report.below("région as of a day, exact, p50 (info)", figures["exact_p50"], None)
    report.below("région as of a day, exact, p99", figures["exact_p99"], 20)
    report.notes.append(
        f"long history: {len(history.public_ms) + len(history.exact_ms)} GET /stats/regions/84 at random "
        "dates 2015-2025, one at a time over HTTP, half protected, half exact (analyst token)"
    )


async def measure(workdir: Path, report: Report, history: int) -> None:
    sqlite = _stage("eventsourcing save rate, SQLite", lambda: sqlite_save_rate(workdir, SAVES))
    postgres, postgres_note = _stage(
        "eventsourcing save rate, PostgreSQL", lambda: postgres_save_rate(workdir, SAVES)
    )

    nats_server, nats_url = start_nats(workdir, "stages")
    try:
        publish, consume = await _astage(
            "raw JetStream publish and consume", lambda: raw_rates(nats_url, RAW_MESSAGES)
        )
        relayed, registered = await _astage(
            f"relay of {RELAYED} events", lambda: relay_rate(workdir, nats_url, RELAYED)
        )
        projected, projection_notes = await _astage(
            f"projection of {RELAYED} events", lambda: projection_rate(workdir, nats_url, RELAYED)
        )
    finally:
        nats_server.stop()

    # A fresh registry must not meet a stream that already holds registry events: its relay
    # would refuse to run, the store not being the one those events came from.
    nats_server, nats_url = start_nats(workdir, "pipeline")
    try:
        throughput, latency, pipeline_notes = await _astage(
            "pipeline over HTTP (throughput, then paced latency)",
            lambda: run_pipeline(workdir, nats_url, COMMANDS, CONCURRENCY, PACED_RATE, PACED_SECONDS),
        )
    finally:
        nats_server.stop()

    # Again a fresh stream: the import's registry is another store.
    nats_server, nats_url = start_nats(workdir, "import")
    try:
        imported = await _astage(
            f"import of {IMPORTED} rows until counted", lambda: import_rate(workdir, nats_url, IMPORTED)
        )
    finally:
        nats_server.stop()

    report.info("eventsourcing save, SQLite (baseline)", f"{sqlite:,.0f} events/s")
    report.info("eventsourcing save, PostgreSQL (info)",
                f"{postgres:,.0f} events/s" if postgres else postgres_note)
    report.info("Registry.register_peer_worker (info)", f"{registered:,.0f} commands/s")
    report.info("raw JetStream publish (baseline)", f"{publish:,.0f} msgs/s")
    report.info("raw JetStream pull consume (baseline)", f"{consume:,.0f} msgs/s")
    report.ratio("relay publish_pending", relayed, "events/s", "raw publish", publish, 0.5)
    report.ratio("projection (reporting consumer)", projected, "events/s", "raw consume", consume, 0.5)
    report.info("pipeline: HTTP 201s received", f"{throughput.accepted_rate:,.0f} commands/s")
    report.ratio("pipeline: commands until counted", throughput.rate, "commands/s",
                 "ES SQLite save", sqlite, 0.5)
    report.info("import: report received", f"{imported.answered_rate:,.0f} rows/s")
    report.ratio("import: rows until counted", imported.rate, "rows/s", "ES SQLite save", sqlite, 0.5)
    report.notes.append(f"import: one CSV of {imported.rows} peer workers (POST /imports, admin); "
                        f"statistics showed {imported.counted} of them")
    report.below(f"latency p50 at {PACED_RATE:g} commands/s", latency.p50_ms if latency else None, 50)
    report.below("latency p99", latency.p99_ms if latency else None, None)
    report.below("HTTP response time p50 (info)", latency.response_p50_ms if latency else None, None)
    report.below("HTTP response time p99 (info)", latency.response_p99_ms if latency else None, None)

    report.notes.append(f"pipeline: {throughput.commands} POSTs by {CONCURRENCY} concurrent workers; "
                        f"statistics showed {throughput.counted} of them")
    if latency is None:
        report.notes.append("latency: not measured, the statistics never caught up with the throughput run")
    else:
        report.notes.append(
            f"latency: {latency.commands} POSTs offered at {latency.offered_rate:.1f}/s, "
            f"/stats/national polled every ~2 ms; statistics showed {latency.reflected} of them"
        )
    report.notes.extend(projection_notes + pipeline_notes)
    await measure_history(workdir, report, history)


async def measure_import(workdir: Path, report: Report, runs: int) -> None:
    """The import stage and its baseline only, one after the other ``runs`` times, each run
    on fresh stores and a fresh nats-server: the load of a shared machine moves both, so
    the verdict is on the medians of the runs."""
    saves, counted, ratios = [], [], []
    for run in range(1, runs + 1):
        load = os.getloadavg()[0]
        sqlite = _stage(f"run {run}: eventsourcing save rate, SQLite", lambda: sqlite_save_rate(workdir, SAVES))
        stores = workdir / f"import{run}"
        stores.mkdir()
        nats_server, nats_url = start_nats(stores, "import")
        try:
            imported = await _astage(
                f"run {run}: import of {IMPORTED} rows until counted",
                lambda: import_rate(stores, nats_url, IMPORTED),  # noqa: B023 - awaited at once
            )
        finally:
            nats_server.stop()
        saves.append(sqlite)
        counted.append(imported.rate or 0.0)
        ratios.append(counted[-1] / sqlite)
        report.info(
            f"run {run}, load average {load:.1f}",
            f"save {sqlite:,.0f} events/s; report {imported.answered_rate:,.0f} rows/s; "
            f"counted {counted[-1]:,.0f} rows/s: {ratios[-1]:.2f}x",
        )
    report.ratio(f"import: rows until counted, median of {runs}", statistics.median(counted), "rows/s",
                 "ES SQLite save, median", statistics.median(saves), 0.5)
    report.notes.append(f"import: median of the {runs} runs' own ratios {statistics.median(ratios):.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, stores)")
    parser.add_argument("--history", type=int, default=HISTORY, help="events of the long history")
    parser.add_argument("--history-only", action="store_true", help="measure the long history only")
    parser.add_argument("--import-only", type=int, metavar="RUNS", default=0,
                        help="measure the import stage and its baseline only, RUNS times in turn")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

    workdir = Path(tempfile.mkdtemp(prefix="peerwork-bench-"))
    print(f"working in {workdir}", flush=True)
    report = Report()
    completed = False
    try:
        if args.history_only:
            uvloop.run(measure_history(workdir, report, args.history))
        elif args.import_only:
            uvloop.run(measure_import(workdir, report, args.import_only))
        else:
            uvloop.run(measure(workdir, report, args.history))
        completed = True
    finally:
        if args.keep or not completed:
            print(f"logs and stores kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(report.render())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
