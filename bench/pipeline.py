"""Stage 3: the whole pipeline over HTTP, registry -> relay -> JetStream -> reporting."""

import asyncio
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import httpx

from .processes import Process, free_port, start_service
from .report import percentile


def body(index: int) -> dict[str, object]:
    return {"display_name": f"Bench {index}", "departement": "38", "domains": ["mental_health"]}


@dataclass
class Throughput:
    commands: int
    accepted_rate: float  # commands/s until the last 201
    rate: float  # commands/s until the statistics showed them all


@dataclass
class Latency:
    commands: int
    offered_rate: float  # commands/s actually sent
    p50_ms: float  # 201 response -> statistics reflect it
    p99_ms: float
    response_p50_ms: float  # request sent -> 201 response
    response_p99_ms: float


async def national_count(client: httpx.AsyncClient, reporting_url: str) -> int:
    response = await client.get(f"{reporting_url}/stats/national")
    response.raise_for_status()
    return response.json()["peer_workers"]


async def _register(client: httpx.AsyncClient, registry_url: str, index: int) -> None:
    response = await client.post(f"{registry_url}/peer-workers", json=body(index))
    if response.status_code != 201:
        raise RuntimeError(f"registration {index} answered {response.status_code}: {response.text}")


async def _wait_for_count(client: httpx.AsyncClient, reporting_url: str, count: int) -> None:
    async with asyncio.timeout(60):
        while await national_count(client, reporting_url) < count:
            await asyncio.sleep(0.002)


async def throughput(registry_url: str, reporting_url: str, n: int, concurrency: int) -> Throughput:
    limits = httpx.Limits(max_connections=concurrency + 4)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        base = await national_count(client, reporting_url)
        indices = iter(range(n))

        async def worker() -> None:
            for index in indices:  # shared by the workers: each index is taken once
                await _register(client, registry_url, index)

        started = perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        accepted = perf_counter() - started
        await _wait_for_count(client, reporting_url, base + n)
        elapsed = perf_counter() - started
    return Throughput(n, n / accepted, n / elapsed)


async def latency(registry_url: str, reporting_url: str, rate: float, seconds: float) -> Latency:
    """Commands at a paced ``rate``; the k-th 201 is reflected once the count is base + k."""
    n = int(rate * seconds)
    async with httpx.AsyncClient(timeout=30) as client, httpx.AsyncClient(timeout=30) as poller:
        base = await national_count(poller, reporting_url)
        reached: dict[int, float] = {}  # count -> when the statistics first showed it
        responded: list[float] = []  # when each 201 arrived, in arrival order
        round_trips: list[float] = []

        async def watch() -> None:
            seen = base
            while seen < base + n:
                count = await national_count(poller, reporting_url)
                now = perf_counter()
                for value in range(seen + 1, count + 1):
                    reached[value] = now
                seen = max(seen, count)
                await asyncio.sleep(0.002)

        async def command(index: int) -> None:
            sent = perf_counter()
            await _register(client, registry_url, index)
            now = perf_counter()
            responded.append(now)
            round_trips.append(now - sent)

        watcher = asyncio.create_task(watch())
        try:
            started = perf_counter()
            commands = []
            for index in range(n):
                delay = started + index / rate - perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                commands.append(asyncio.create_task(command(10_000_000 + index)))
            offered = n / (perf_counter() - started)
            await asyncio.gather(*commands)
            await asyncio.wait_for(asyncio.shield(watcher), 60)
        finally:
            watcher.cancel()
    lags = [max(0.0, reached[base + k] - at) * 1000 for k, at in enumerate(responded, 1)]
    trips = [trip * 1000 for trip in round_trips]
    return Latency(n, offered, percentile(lags, 50), percentile(lags, 99),
                   percentile(trips, 50), percentile(trips, 99))


async def run_pipeline(workdir: Path, nats_url: str, n: int, concurrency: int, rate: float,
                       seconds: float) -> tuple[Throughput, Latency]:
    """Starts both services as processes on fresh stores and measures through them."""
    services: list[Process] = []
    try:
        registry_port, reporting_port = free_port(), free_port()
        registry, registry_url = start_service("peerwork_registry", {
            "REGISTRY_HOST": "127.0.0.1",
            "REGISTRY_PORT": str(registry_port),
            "REGISTRY_RELAY_ENABLED": "true",
            "REGISTRY_PERSISTENCE": "sqlite",
            "REGISTRY_SQLITE_PATH": str(workdir / "pipeline-registry.sqlite"),
            "REGISTRY_NATS_URL": nats_url,
        }, workdir, registry_port)
        services.append(registry)
        reporting, reporting_url = start_service("peerwork_reporting", {
            "REPORTING_HOST": "127.0.0.1",
            "REPORTING_PORT": str(reporting_port),
            "REPORTING_CONSUMER_ENABLED": "true",
            "REPORTING_STORE_PATH": str(workdir / "pipeline-reporting.sqlite"),
            "REPORTING_NATS_URL": nats_url,
        }, workdir, reporting_port)
        services.append(reporting)
        measured_throughput = await throughput(registry_url, reporting_url, n, concurrency)
        measured_latency = await latency(registry_url, reporting_url, rate, seconds)
        for service in services:
            service.check_alive()
        return measured_throughput, measured_latency
    finally:
        for service in reversed(services):
            service.stop()
