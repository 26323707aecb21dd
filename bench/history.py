"""Stage 5: a long history. A million registry events on the stream (``history_events``), then

- the baselines: replaying them with a plain nats-py pull consumer (no ack), then the same
  parsing each message into its contract event and writing it as a row in SQLite;
- the live store built from them in the bench process, as a rebuild builds one;
- the reporting service started on it, asked to rebuild its views in its own process;
- the service started again on the rebuilt store, as a restart opens it: it makes the
  releases, then answers reads of a région over HTTP beside a plain route, then applies
  a steady stream of new events.

The peak memory of the service is taken for each of the rebuild, the releases, the reads
and the steady stream.
"""

import asyncio
import os
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from time import perf_counter

import aiohttp

from peerwork_contracts.calendar import today
from peerwork_reporting.releases.calendar import release_days

from .commands import AUTH_SECRET
from .history_events import FIRST_DAY, history, publish, steady_stream
from .memory import peak_mb, reset_peak
from .processes import Process, free_port, start_service
from .reads import Read, reads
from .rebuilds import STALLED, Timed, build_in_bench, follow, rebuild_in_service, replay, stored_sequence

STEADY_RATE = 100.0  # events/s of the steady stream
STEADY_SECONDS = 10.0
REPO = Path(__file__).resolve().parents[1]


@dataclass
class History:
    published: int
    replay: Timed
    stored_replay: Timed  # each message also parsed and written as a row in SQLite
    built: Timed  # the live store, in the bench process
    rebuilt: Timed  # the service's rebuild, in its process
    verified_s: float  # the service comparing the two stores, then switching
    releases_s: float  # the service making the releases on the rebuilt store
    reads: dict[str, Read]
    peaks_mb: dict[str, float]  # the service's peak resident memory, by part of the stage


def _reporting(workdir: Path, nats_url: str, store: Path, release_check_seconds: float, name: str
               ) -> tuple[Process, str]:
    port = free_port()
    return start_service("peerwork_reporting", {
        "REPORTING_PORT": str(port), "REPORTING_STORE_PATH": str(store), "REPORTING_CONSUMER_ENABLED": "true",
        "REPORTING_AUTH_JWT_SECRET": AUTH_SECRET, "REPORTING_NATS_URL": nats_url,
        "REPORTING_LOG_LEVEL": "WARNING", "REPORTING_PUBLIC_REQUESTS_PER_MINUTE": "0",
        "REPORTING_RELEASE_CHECK_SECONDS": str(release_check_seconds),
    }, workdir, port, name)


def _plain_service(workdir: Path) -> tuple[Process, str]:
    port = free_port()
    return start_service("bench.plain_service", {
        "BENCH_PLAIN_PORT": str(port), "BENCH_PLAIN_LOG_LEVEL": "WARNING",
        # Its working directory is the temporary one: the bench package is found from here.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }, workdir, port)


async def _released(url: str, days: list[date]) -> float:
    """Seconds until ``/stats/releases`` lists a release of each of ``days``."""
    started = perf_counter()
    async with aiohttp.ClientSession() as session:
        while perf_counter() - started < STALLED:
            async with session.get(f"{url}/stats/releases") as response:
                listed = {entry["day"] for entry in (await response.json())["releases"]}
            if listed >= {day.isoformat() for day in days}:
                return perf_counter() - started
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the releases of {days[0]} to {days[-1]} were not all made within {STALLED:g} s")


async def _rebuild(workdir: Path, nats_url: str, live: Path, count: int, peaks: dict[str, float]
                   ) -> tuple[Timed, float, Path]:
    # No release made meanwhile: the next service makes them, on the rebuilt store.
    service, url = _reporting(workdir, nats_url, live, 3600, "reporting-rebuild")
    try:
        reset_peak(service)
        rebuilt = await rebuild_in_service(url, workdir, count)
        peaks["rebuild"] = peak_mb(service)
        return rebuilt
    finally:
        service.stop()


async def _serve_rebuilt(workdir: Path, nats_url: str, live: Path, rebuilt: Path, count: int,
                         queries: int, peaks: dict[str, float]) -> tuple[float, dict[str, Read]]:
    days = release_days(FIRST_DAY, today(), quarter_ends=False)
    service, url = _reporting(workdir, nats_url, live, 1, "reporting-rebuilt")
    plain: Process | None = None
    try:
        reset_peak(service)
        releases_s = await _released(url, days)
        peaks["releases"] = peak_mb(service)
        plain, plain_url = _plain_service(workdir)
        reset_peak(service)
        measured = await reads(url, plain_url, days, queries)
        peaks["reads"] = peak_mb(service)
        reset_peak(service)
        last = await steady_stream(nats_url, count, STEADY_RATE, STEADY_SECONDS)
        await follow(lambda: stored_sequence(rebuilt), last, perf_counter())  # every event applied
        peaks["steady"] = peak_mb(service)
        return releases_s, measured
    finally:
        if plain is not None:
            plain.stop()
        service.stop()


async def long_history(workdir: Path, nats_url: str, total: int, queries: int = 300) -> History:
    published = await publish(nats_url, history(total, random.Random(2022)))
    baseline = await replay(nats_url, published)
    stored = await replay(nats_url, published, store=workdir / "replayed.sqlite")
    live = workdir / "history-reporting.sqlite"
    built = await build_in_bench(nats_url, live, published)
    peaks: dict[str, float] = {}
    rebuilt, verified_s, fresh = await _rebuild(workdir, nats_url, live, published, peaks)
    releases_s, measured = await _serve_rebuilt(workdir, nats_url, live, fresh, published, queries, peaks)
    return History(published, baseline, stored, built, rebuilt, verified_s, releases_s, measured, peaks)
