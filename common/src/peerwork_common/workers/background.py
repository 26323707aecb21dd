"""Running a worker (``worker``) in the background for as long as a service runs."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import TypeVar

from peerwork_common.workers.leadership import Leadership, run_while_leading
from peerwork_common.workers.worker import Worker

log = logging.getLogger(__name__)

W = TypeVar("W", bound=Worker)


@asynccontextmanager
async def in_background(worker: W, leadership: Leadership | None = None) -> AsyncIterator[W]:
    """Runs ``worker`` for the duration of the context; it waits out NATS being away, so the
    service starts without it. With a ``leadership``, only while this replica holds it: two
    relays would race for the stream, and replicas pulling from one durable consumer would
    each see a part of it, out of order."""
    running = (
        worker.run() if leadership is None else run_while_leading(worker.label, leadership, worker.run, worker.wake)
    )
    task = asyncio.create_task(running, name=worker.label)
    task.add_done_callback(_log_stop)
    try:
        yield worker
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        await worker.close()


def _log_stop(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.critical("%s stopped for good: an operator must look", task.get_name(), exc_info=task.exception())
