"""Readiness: whether a service can do its work now, check by check, each saying why not.

A check that fails makes ``/ready`` answer 503, so that no traffic is sent there while
``/health`` stays 200: restarting the process would not bring NATS or the database back.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.relay import Relay
from peerwork_common.workers.worker import Worker

Check = Callable[[], Awaitable[str | None]]
"""A check answers None when all is well, or else why not, in a sentence."""


class Readiness:
    def __init__(self, timeout: float = 3.0) -> None:
        self._checks: dict[str, Check] = {}
        self._timeout = timeout

    def add(self, name: str, check: Check) -> None:
        """Adds ``check`` under ``name``, in place of any check of that name."""
        self._checks[name] = check

    async def results(self) -> dict[str, str]:
        """Each check's name and "ok", or why it fails; the checks run together."""
        names = list(self._checks)
        outcomes = await asyncio.gather(*(self._run(self._checks[name]) for name in names))
        return {name: outcome or "ok" for name, outcome in zip(names, outcomes, strict=True)}

    async def _run(self, check: Check) -> str | None:
        try:
            return await asyncio.wait_for(check(), self._timeout)
        except TimeoutError:
            return f"no answer within {self._timeout:g}s"


def database(probe: Callable[[], object]) -> Check:
    """The database answers ``probe``, a query run in a thread."""

    async def check() -> str | None:
        try:
            await asyncio.to_thread(probe)
        except Exception as error:  # whatever the driver raises
            return f"unreachable: {error}"
        return None

    return check


def nats(workers: Mapping[str, Worker]) -> Check:
    """Every loop running here has its NATS connection up (one standing by needs none)."""

    async def check() -> str | None:
        down = [name for name, worker in workers.items() if worker.running and not worker.connected]
        return f"not connected to NATS: {', '.join(down)}" if down else None

    return check


def relay(relay: Relay) -> Check:
    """The relay has not stopped (it is relaying, or standing by for another replica)."""

    async def check() -> str | None:
        return _stopped(relay)

    return check


def consumer(consumer: DurableConsumer) -> Check:
    """The consumer has not stopped, and if it runs here it pulls from its durable consumer."""

    async def check() -> str | None:
        if consumer.running and not consumer.attached:
            return "not attached to its durable consumer yet"
        return _stopped(consumer)

    return check


def _stopped(worker: Worker) -> str | None:
    return None if (error := worker.stopped) is None else f"stopped: {error!r}"
