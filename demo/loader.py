"""Sends a plan to the services over HTTP, a few chains at a time.

A chain is one aggregate's commands: sent in order, each after the previous one's answer,
since the services check each command against what came before. Different chains go side
by side (``concurrency`` requests in flight at most), which is what makes the load fast on
a small machine while keeping each aggregate's history in order.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

from .plan import Command, Plan, Ref

CONCURRENCY = 8

# How long a command refused with a Retry-After (a structure registered in stage 1 not yet
# arrived in the accompaniment service, over the bus) is sent again before the load stops.
RETRY_FOR_SECONDS = 120.0


class LoadError(RuntimeError):
    """A service refused a command, or could not be reached: the load stops."""


@dataclass(frozen=True)
class Loaded:
    commands: int
    seconds: float
    ids: dict[str, str]  # plan key -> id given by the service


async def load(
    plan: Plan,
    registry_url: str,
    accompaniment_url: str,
    token: str,
    concurrency: int = CONCURRENCY,
    progress: Callable[[str], None] | None = None,
) -> Loaded:
    started = time.perf_counter()
    ids: dict[str, str] = {}
    limits = httpx.Limits(max_connections=concurrency)
    staff = {"Authorization": f"Bearer {token}"}  # the services take commands from staff only
    async with (
        httpx.AsyncClient(base_url=registry_url, timeout=60, limits=limits, headers=staff) as registry,
        httpx.AsyncClient(
            base_url=accompaniment_url, timeout=60, limits=limits, headers=staff
        ) as accompaniment,
    ):
        clients = {"registry": registry, "accompaniment": accompaniment}
        for client in clients.values():
            await _check_alive(client)
        for number, stage in enumerate(plan.stages, start=1):
            stage_started = time.perf_counter()
            await _send_stage(stage, clients, ids, concurrency)
            if progress is not None:
                seconds = time.perf_counter() - stage_started
                progress(f"stage {number}/{len(plan.stages)}: {len(stage)} commands, {seconds:.1f}s")
    return Loaded(len(plan.commands), time.perf_counter() - started, ids)


async def _check_alive(client: httpx.AsyncClient) -> None:
    try:
        response = await client.get("/health")
    except httpx.HTTPError as error:
        raise LoadError(
            f"cannot reach {client.base_url}: {error!r}; is it running (make run)?"
        ) from None
    if response.status_code != 200:
        raise LoadError(f"{client.base_url}/health answered {response.status_code}")


async def _send_stage(
    stage: tuple[Command, ...],
    clients: dict[str, httpx.AsyncClient],
    ids: dict[str, str],
    concurrency: int,
) -> None:
    chains: dict[str, list[Command]] = {}
    for command in stage:
        chains.setdefault(command.chain, []).append(command)
    waiting = deque(chains.values())

    async def worker() -> None:
        while waiting:
            for command in waiting.popleft():
                await _send(command, clients[command.service], ids)

    # A TaskGroup stops every worker at the first failure instead of loading on; that
    # failure is what the operator needs to read, not a group of one.
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None


async def _send(command: Command, client: httpx.AsyncClient, ids: dict[str, str]) -> None:
    path = "/" + "/".join(_render(segment, ids) for segment in command.path)
    what = f"{command.label} ({command.chain}): POST {client.base_url}{path}"
    deadline = time.monotonic() + RETRY_FOR_SECONDS
    while True:
        try:
            response = await client.post(path, json=_render(command.body, ids))
        except httpx.HTTPError as error:
            raise LoadError(f"{what} failed: {error!r}") from None
        retry_after = response.headers.get("Retry-After")
        if response.is_success or retry_after is None or time.monotonic() > deadline:
            break
        await asyncio.sleep(float(retry_after))  # as the service asks
    if not response.is_success:
        raise LoadError(f"{what} answered {response.status_code}: {response.text[:1000]}")
    if command.binds is not None:
        ids[command.binds] = response.json()[command.id_field]


def _render(value: Any, ids: dict[str, str]) -> Any:
    """The JSON to send: ids in place of Refs, ISO dates."""
    if isinstance(value, Ref):
        return ids[value.key]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {name: _render(item, ids) for name, item in value.items()}
    if isinstance(value, list):
        return [_render(item, ids) for item in value]
    return value
