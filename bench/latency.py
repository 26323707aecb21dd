"""Stage 3b: at a paced rate, how long after its 201 a command shows in the statistics.

A watcher polls /stats/national every ~2 ms and notes when each count is first seen. The
k-th 201 to arrive is taken as reflected once the count reaches base + k (at 100/s requests
hardly overlap, so the k-th response is the k-th event recorded).
"""

import asyncio
import math
from dataclasses import dataclass
from time import perf_counter

from .commands import WAIT_AFTER_SENDING, client, national_count, register
from .report import percentile


@dataclass
class Latency:
    commands: int
    offered_rate: float  # commands/s actually sent
    reflected: int  # commands the statistics showed in the end
    p50_ms: float  # 201 response -> statistics reflect it (inf: never did)
    p99_ms: float
    response_p50_ms: float  # request sent -> 201 response
    response_p99_ms: float


async def latency(registry_url: str, reporting_url: str, rate: float, seconds: float) -> Latency:
    n = int(rate * seconds)
    async with client() as session, client() as poller:
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
            await register(session, registry_url, index)
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
            await asyncio.wait([watcher], timeout=WAIT_AFTER_SENDING)
        finally:
            watcher.cancel()
    lags = [max(0.0, reached[base + k] - at) * 1000 if base + k in reached else math.inf
            for k, at in enumerate(responded, 1)]
    trips = [trip * 1000 for trip in round_trips]
    return Latency(n, offered, len(reached), percentile(lags, 50), percentile(lags, 99),
                   percentile(trips, 50), percentile(trips, 99))
