"""Pulling a JetStream consumer's messages in batches, without a task per message.

nats-py's ``PullSubscription.fetch`` waits for each message with ``asyncio.wait_for`` on a
task of its own: two tasks per message, about as much time as a rebuild spends applying
one. This loop asks for messages itself (``$JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>``,
the request ``fetch`` makes) on an inbox it subscribes to, and collects what arrives in a
list. One request is open at a time, and the next is made as soon as a batch is handed
out, so the server sends it while the previous one is being applied.

A request is either

- ``no_wait``: up to a batch of what the consumer holds now, ended by a 404 status when
  it holds less. Used while there is a backlog, and handed out whole;
- lingering (``expires``): open until a batch arrives or ``idle_wait`` passes (408
  status). Used once the backlog is drained; each message is handed out as soon as it
  arrives, so that a live event waits for nothing.
"""

import asyncio
import json
from contextlib import suppress

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import Error as NatsError
from nats.js.api import Header
from nats.js.errors import APIError

_STATUS = "Status"
_REQUEST_ENDED = {"404", "408"}  # no messages (no_wait), expired (lingering)
_HEARTBEAT = "100"


class BatchPull:
    """Hands out the messages of one durable pull consumer, batch by batch."""

    def __init__(self, connection: Client, stream: str, consumer: str, batch: int, idle_wait: float) -> None:
        self._connection = connection
        self._next = f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}"
        self._batch = batch
        self._idle_wait = idle_wait
        self._inbox = connection.new_inbox()
        self._subscription: Subscription | None = None
        self._arrived: list[Msg] = []
        self._awaited = 0  # messages the open request may still bring; 0: none open
        self._backlog = True  # the last request was filled: ask without waiting
        self._error: NatsError | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._subscription = await self._connection.subscribe(self._inbox, cb=self._receive)

    async def stop(self) -> None:
        if self._subscription is not None:
            with suppress(NatsError):
                await self._subscription.unsubscribe()

    async def next(self) -> list[Msg]:
        """The messages that arrived, in delivery order: a whole batch while there is a
        backlog, else as soon as any came; [] when none came within ``idle_wait``."""
        if not self._awaited:
            await self._request()
        try:
            # Past the request's own expiry: its 408 ends the wait. Without any answer,
            # the request was lost (NATS restarted, say): the next call asks again.
            # asyncio.timeout, not wait_for: on Python 3.11, wait_for drops a cancellation
            # that comes as the wait ends, and the consumer's task would never stop.
            async with asyncio.timeout(self._idle_wait + 1.0):
                await self._ready.wait()
        except TimeoutError:
            self._awaited = 0
        self._ready.clear()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        batch, self._arrived = self._arrived, []
        if not self._awaited:
            await self._request()  # the server sends it while this one is applied
        return batch

    async def _request(self) -> None:
        request: dict[str, object] = {"batch": self._batch}
        if self._backlog:
            request["no_wait"] = True
        else:
            request["expires"] = int(self._idle_wait * 1e9)  # nanoseconds
        self._awaited = self._batch
        await self._connection.publish(self._next, json.dumps(request).encode(), reply=self._inbox)

    async def _receive(self, message: Msg) -> None:
        # A stream message has the consumer's ack subject for reply; a status has none.
        status = None if message.reply else (message.headers or {}).get(_STATUS)
        if status is None:
            self._arrived.append(message)
            self._awaited -= 1
            if self._awaited > 0 and self._backlog:
                return  # the rest of the batch is on its way
            if self._awaited <= 0:  # filled: there may be more
                self._awaited, self._backlog = 0, True
        elif status in _REQUEST_ENDED:
            self._awaited, self._backlog = 0, False
        elif status == _HEARTBEAT:
            return
        else:  # consumer deleted, JetStream unavailable, ...: the caller starts again
            description = (message.headers or {}).get(Header.DESCRIPTION, "")
            self._error = APIError(code=int(status), description=description)
        self._ready.set()
