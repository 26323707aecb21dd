"""A background loop over a NATS connection of its own (the relay, a consumer), with the one
retry loop every such loop shares, and what readiness and metrics can tell of it."""

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from nats.aio.client import Client
from nats.errors import Error as NatsError

log = logging.getLogger(__name__)

T = TypeVar("T")


class StartAgain(Exception):
    """The worker must start its pass again at once (its position moved under it): no wait."""


class MustStop(RuntimeError):
    """Going on would do harm (the relay about to corrupt the stream): an operator must look."""


class Worker(ABC):
    """A loop that ``run()`` keeps going: each pass (``_work``) connects, recovers where it
    stands, and works until cancelled or until something fails; the next pass starts after
    a backoff doubling up to ``max_backoff``. Only ``MustStop`` ends it.

    Under a leadership lock, ``run()`` is started each time this replica takes the lock
    and cancelled when it loses it, so a replica standing by is neither running nor
    stopped."""

    label: str  # "relay registry", "consumer reporting": logs and task names
    max_backoff = 5.0
    _connection: Client | None = None
    _task: "asyncio.Task[None] | None" = None

    @abstractmethod
    async def _work(self) -> None:
        """One pass: returns only when cancelled, raises when it cannot go on."""

    def wake(self) -> None:
        """Something new is there to work on; safe to call from any thread."""

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()

    def _working(self) -> None:
        """Called by ``_work`` once connected and caught up: the next failure waits the least."""
        self._backoff = 0.1

    async def run(self) -> None:
        """Works until cancelled, waiting out NATS and database outages."""
        self._task = asyncio.current_task()
        self._backoff = 0.1
        while True:
            try:
                await self._work()
            except MustStop:
                raise
            except StartAgain as reason:
                log.info("%s: %s; starting again from the stored position", self.label, reason)
                continue
            except (TimeoutError, NatsError, OSError) as error:
                log.warning("%s: NATS unavailable (%r); retrying in %.1fs", self.label, error, self._backoff)
            except Exception:
                # Each pass starts from a position kept where the work is (the stream for the
                # relay, the view for a consumer), so starting again loses and repeats nothing;
                # a database away for a moment must not stop the work for good.
                log.exception("%s failed; starting again in %.1fs", self.label, self._backoff)
            await asyncio.sleep(self._backoff)
            self._backoff = min(self._backoff * 2, self.max_backoff)

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
