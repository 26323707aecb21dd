"""Stage 3a: commands/s through the whole pipeline, from the first POST until all are counted."""

import asyncio
from dataclasses import dataclass
from time import perf_counter

from .commands import WAIT_AFTER_SENDING, client, national_count, register


@dataclass
class Throughput:
    commands: int
    accepted_rate: float  # commands/s until the last 201
    rate: float | None  # commands/s until the statistics showed them all; None: never did
    counted: int  # commands the statistics showed in the end


async def throughput(registry_url: str, reporting_url: str, n: int, concurrency: int) -> Throughput:
    async with client(concurrency + 4) as session:
        base = await national_count(session, reporting_url)
        indices = iter(range(n))

        async def worker() -> None:
            for index in indices:  # shared by the workers: each index is taken once
                await register(session, registry_url, index)

        started = perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        accepted = perf_counter() - started
        deadline = perf_counter() + WAIT_AFTER_SENDING
        while (count := await national_count(session, reporting_url)) < base + n:
            if perf_counter() > deadline:
                return Throughput(n, n / accepted, None, count - base)
            await asyncio.sleep(0.002)
        return Throughput(n, n / accepted, n / (perf_counter() - started), n)
