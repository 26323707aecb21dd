"""Reads of a région over HTTP on the rebuilt million-event store, each followed by a request
to the plain route (``bench.plain_service``) for a body of the same size as its answer, so
that both see the same machine at the same moment.

- public: the figures of a release (no token), at one of its reference dates;
- exact: an analyst's exact figures of any day;
- protected: an analyst's protected figures of a day that is no release's (disclosure
  control computed at the request), for information.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from time import perf_counter

import aiohttp

from .commands import AUTHORIZATION
from .history_events import DAYS, FIRST_DAY
from .report import percentile

REGION = "84"
Query = tuple[dict[str, str], dict[str, str]]  # parameters, headers


@dataclass
class Read:
    ms: list[float] = field(default_factory=list)
    plain_ms: list[float] = field(default_factory=list)  # the plain route, bodies of the same sizes
    sizes: list[int] = field(default_factory=list)  # bytes of each answer

    def p(self, q: float) -> float:
        return percentile(self.ms, q)

    def plain_p(self, q: float) -> float:
        return percentile(self.plain_ms, q)


def _kinds(rng: random.Random, release_days: list[date]) -> dict[str, Callable[[], Query]]:
    def any_day() -> date:
        return FIRST_DAY + timedelta(days=rng.randrange(DAYS + 365))

    def unreleased_day() -> date:
        while (day := any_day()) in release_days:
            pass
        return day

    return {
        "public": lambda: ({"as_of": rng.choice(release_days).isoformat()}, {}),
        "exact": lambda: ({"as_of": any_day().isoformat(), "exact": "true"}, AUTHORIZATION),
        "protected": lambda: ({"as_of": unreleased_day().isoformat()}, AUTHORIZATION),
    }


async def _timed_get(session: aiohttp.ClientSession, url: str, query: Query | None = None) -> tuple[float, int]:
    params, headers = query or ({}, {})
    started = perf_counter()
    async with session.get(url, params=params, headers=headers) as response:
        response.raise_for_status()
        body = await response.read()
    return (perf_counter() - started) * 1000, len(body)


async def reads(url: str, plain_url: str, release_days: list[date], queries: int, warm_up: int = 20
                ) -> dict[str, Read]:
    """``queries`` reads of each kind, one at a time, the kinds in turn; each kind's first
    ``warm_up`` (connections, caches) not counted."""
    kinds = _kinds(random.Random(84), release_days)
    measured = {kind: Read() for kind in kinds}
    async with aiohttp.ClientSession() as session:
        for index in range(warm_up + queries):
            for kind, query in kinds.items():
                ms, size = await _timed_get(session, f"{url}/stats/regions/{REGION}", query())
                plain_ms, _ = await _timed_get(session, f"{plain_url}/plain/{size}")
                if index >= warm_up:
                    read = measured[kind]
                    read.ms.append(ms)
                    read.plain_ms.append(plain_ms)
                    read.sizes.append(size)
    return measured
