"""What readiness and metrics can tell of a background loop: the relay, a consumer."""

import asyncio

from nats.aio.client import Client


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
