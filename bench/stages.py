"""The stages, in groups: each group run against a nats-server of its own where it needs one,
its name printed as it starts and its duration once it is over; the figures they give."""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any, TypeVar

from .eventstore import postgres_save_rate, sqlite_save_rate
from .history import History, long_history
from .imports import ImportRate, import_rate
from .jetstream import RawRates, raw_rates
from .pipeline import PipelineRun, run_pipeline
from .processes import start_nats
from .projection import projection_rate
from .relay import relay_rate

SAVES = 2000  # eventsourcing baseline: one new aggregate per save()
RAW_MESSAGES = 20000  # plain JetStream publish / consume baselines
RELAYED = 20000  # registrations relayed, then projected
COMMANDS = 2000  # HTTP commands of the pipeline throughput run
IMPORTED = 10000  # rows of the import stage's spreadsheet
CONCURRENCY = 16
PACED_RATE = 100.0  # commands/s of the latency run
PACED_SECONDS = 10.0
HISTORY = 1_000_000  # events of the long history: rebuild, reads, memory

T = TypeVar("T")


@dataclass
class Saves:
    sqlite: float
    postgres: float | None
    postgres_note: str  # where PostgreSQL ran, or why it was skipped


@dataclass
class Streams:
    raw: RawRates
    relayed: float
    registered: float
    projected: float | None
    projection_notes: list[str]


@dataclass
class RelayRun:
    """One run of ``--relay-only``: the machine's load as it began, the publish baselines, the relay."""

    load: float
    raw: RawRates
    relayed: float


@dataclass
class ImportRun:
    """One run of ``--import-only``: the machine's load as it began, its baseline, its import."""

    load: float
    sqlite: float
    imported: ImportRate


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


def _sqlite_save_stage(workdir: Path, prefix: str = "") -> float:
    return _stage(f"{prefix}eventsourcing save rate, SQLite", lambda: sqlite_save_rate(workdir, SAVES))


def save_stages(workdir: Path) -> Saves:
    sqlite = _sqlite_save_stage(workdir)
    postgres, postgres_note = _stage(
        "eventsourcing save rate, PostgreSQL", lambda: postgres_save_rate(workdir, SAVES)
    )
    return Saves(sqlite, postgres, postgres_note)


async def stream_stages(workdir: Path) -> Streams:
    nats_server, nats_url = start_nats(workdir, "stages")
    try:
        raw = await _astage(
            "raw JetStream publish (one by one, concurrent) and consume", lambda: raw_rates(nats_url, RAW_MESSAGES)
        )
        relayed, registered = await _astage(
            f"relay of {RELAYED} events", lambda: relay_rate(workdir, nats_url, RELAYED)
        )
        projected, projection_notes = await _astage(
            f"projection of {RELAYED} events", lambda: projection_rate(workdir, nats_url, RELAYED)
        )
    finally:
        nats_server.stop()
    return Streams(raw, relayed, registered, projected, projection_notes)


async def relay_run(workdir: Path, run: int) -> RelayRun:
    """The raw publish baselines and the relay stage, on a fresh store and nats-server."""
    load = os.getloadavg()[0]
    stores = workdir / f"relay{run}"
    stores.mkdir()
    nats_server, nats_url = start_nats(stores, "relay")
    try:
        raw = await _astage(f"run {run}: raw JetStream publish", lambda: raw_rates(nats_url, RAW_MESSAGES))
        relayed, _ = await _astage(f"run {run}: relay of {RELAYED} events", lambda: relay_rate(stores, nats_url, RELAYED))
    finally:
        nats_server.stop()
    return RelayRun(load, raw, relayed)


async def pipeline_stage(workdir: Path) -> PipelineRun:
    # A fresh registry must not meet a stream that already holds registry events: its relay
    # would refuse to run, the store not being the one those events came from.
    nats_server, nats_url = start_nats(workdir, "pipeline")
    try:
        return await _astage(
            "pipeline over HTTP (throughput, then paced latency)",
            lambda: run_pipeline(workdir, nats_url, COMMANDS, CONCURRENCY, PACED_RATE, PACED_SECONDS),
        )
    finally:
        nats_server.stop()


async def import_stage(stores: Path, prefix: str = "") -> ImportRate:
    # Again a fresh stream: the import's registry is another store.
    nats_server, nats_url = start_nats(stores, "import")
    try:
        return await _astage(
            f"{prefix}import of {IMPORTED} rows until counted", lambda: import_rate(stores, nats_url, IMPORTED)
        )
    finally:
        nats_server.stop()


async def import_run(workdir: Path, run: int) -> ImportRun:
    """The import stage and its baseline, the import on fresh stores and a fresh nats-server."""
    load = os.getloadavg()[0]
    sqlite = _sqlite_save_stage(workdir, f"run {run}: ")
    stores = workdir / f"import{run}"
    stores.mkdir()
    return ImportRun(load, sqlite, await import_stage(stores, f"run {run}: "))


async def history_stage(workdir: Path, total: int) -> History:
    nats_server, nats_url = start_nats(workdir, "history")
    try:
        return await _astage(
            f"long history of {total:,} events: replay, rebuild, releases, reads, steady stream",
            lambda: long_history(workdir, nats_url, total),
        )
    finally:
        nats_server.stop()
