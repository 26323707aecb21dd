"""What readiness and metrics can tell of a background loop: the relay, a consumer."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from nats.aio.client import Client

T = TypeVar("T")


class Worker:
    """A loop that ``run()`` keeps going over a NATS connection of its own.

    Under a leadership lock, ``run()`` is started each time this replica takes the lock
    and cancelled when it loses it, so a replica standing by is neither running nor
    stopped."""

    _connection: Client | None = None
    _task: "asyncio.Task[None] | None" = None

    def _started(self) -> None:
        """Called first thing in ``run()``: notes the task running it."""
        self._task = asyncio.current_task()

    @property
    def running(self) -> bool:
        """Its loop is under way in this process."""
        return self._task is not None and not self._task.done()

    @property
    def stopped(self) -> BaseException | None:
        """What ended the loop for good, if anything did."""
        task = self._task
        if task is None or not task.done() or task.cancelled():
            return None
        return task.exception()

    @property
    def connected(self) -> bool:
        """Its NATS connection is up (not connecting, not reconnecting)."""
        return self._connection is not None and self._connection.is_connected

    def run_in_loop(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        """Runs ``coroutine`` in the event loop of ``run()``, for code in another thread (a
        plain ``def`` route): the loop's NATS connection is used from that loop only."""
        if self._task is None:
            coroutine.close()
            raise RuntimeError("the worker has not started")
        return asyncio.run_coroutine_threadsafe(coroutine, self._task.get_loop())
