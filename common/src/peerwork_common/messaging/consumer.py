"""A durable JetStream pull consumer that feeds contract events to a projection, in order.

The projection stores the stream sequence it reached in the same transaction as its own
changes, and it is the only source of truth for the position: at start-up, and whenever
delivery does not follow on from that position, the durable consumer is re-created to
deliver from the position on. A redelivered message at or below the position is acked and
skipped, so a crash between the commit and the ack never applies anything twice.

An older version's copy of an event (``Peerwork-Copy-Of``: the relay publishes it just
before the event's newest version, the same fact) is acked and skipped: the platform reads
the newest version, and a consumer whose filter names an older subject gets its newer ones
too. A message that is not a known, valid event, or that holds a value of a closed list this
version of the contracts does not know, is parked on the consumer's dead-letter subject and
passed over; the consumer goes on. Once the cause is fixed (the consumer upgraded, the
record a hiring named registered), ``replay`` applies it: the running consumer answers
replay requests (``peerwork_common.messaging.dead_letters``) between batches, and the projection tells
a parked event from one it applied, so that nothing is applied twice.

The pull loop is ours rather than faststream's: faststream 0.7's batch pull waits for a full
batch or its whole timeout (hundreds of milliseconds of latency at low rates), and its loop
dies on the ``asyncio.TimeoutError`` nats-py raises near a fetch deadline, which leaves the
batch unacknowledged until its ack wait runs out. Nor is it nats-py's ``fetch``, which
costs two tasks per message (see ``pulls``).

Traced (``tracing``), each batch is a span, and each event applied a span of the trace its
message's ``traceparent`` names (the relay's publication), linked to its batch's.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from opentelemetry.trace import INVALID_SPAN, Status, StatusCode, Tracer

from peerwork_common.messaging.alignment import align
from peerwork_common.messaging.batches import collection_paused, stream_sequence, traced
from peerwork_common.messaging.nats import connect, ensure_streams
from peerwork_common.messaging.parking import Parking, answering, replay_subject
from peerwork_common.messaging.projections import Projection
from peerwork_common.messaging.pulls import BatchPull
from peerwork_common.workers.worker import StartAgain, Worker
from peerwork_contracts import catalogue, side_by_side, streams, subjects
from peerwork_contracts.envelope import Event
from peerwork_contracts.evolution import unknown_values

log = logging.getLogger(__name__)

EVERY_EVENT = f"{subjects.ROOT}.>"

class OutOfOrder(StartAgain):
    """Delivery skipped a message: the consumer must start again from the position."""


class DurableConsumer(Worker):
    def __init__(
        self,
        nats_url: str,
        name: str,
        projection: Projection,
        *,
        filter_subject: str | tuple[str, ...] = EVERY_EVENT,
        batch_size: int = 500,
        ack_wait: float = 30.0,
        idle_wait: float = 5.0,
        max_backoff: float = 5.0,
        replays_for: Sequence[str] = (),
        tracer: Tracer | None = None,
    ) -> None:
        """``replays_for``: other consumers whose dead letters this one replays, as the live
        statistics consumer does its rebuild's, whose store it took over; ``tracer``: None,
        tracing off."""
        self.name = name
        self.label = f"consumer {name}"
        self._tracer = tracer
        self._nats_url = nats_url
        self._projection = projection
        # One subject, or several (a consumer of some of a service's events).
        filters = (filter_subject,) if isinstance(filter_subject, str) else tuple(filter_subject)
        self._filters = filters + tuple(
            newer for subject in filters for newer in side_by_side.newer_subjects(subject) if newer not in filters
        )
        # Only a consumer of the whole stream sees consecutive sequences, so only it can tell
        # a gap from a message it was never meant to see.
        self._consecutive = self._filters == (EVERY_EVENT,)
        self._batch_size = batch_size
        # A batch being applied, and the next one on its way (see ``pulls``).
        self._max_ack_pending = max(10_000, 2 * batch_size)
        self._ack_wait = ack_wait
        self._idle_wait = idle_wait
        self.max_backoff = max_backoff
        self._parking = Parking(name, projection, replays_for)
        self._connection: Client | None = None
        self._js: JetStreamContext | None = None
        self._handling = asyncio.Lock()
        self.attached = False  # pulling from its durable consumer

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """No batch is applied while in this context (the one under way is finished first)."""
        async with self._handling:
            yield

    async def _work(self) -> None:
        await self._connect()
        await self.align()
        pull = BatchPull(self._connection, streams.EVENTS.name, self.name, self._batch_size, self._idle_wait)
        await pull.start()
        replays = await self._connection.subscribe(replay_subject(self.name), cb=answering(self.name, self.replay))
        self._working()
        self.attached = True
        try:
            await self._consume(pull)
        finally:
            self.attached = False
            await pull.stop()
            with suppress(NatsError):
                await replays.unsubscribe()

    @property
    def position(self) -> int:
        """Stream sequence of the last message the projection applied."""
        return self._projection.last_sequence()

    async def pending(self, timeout: float) -> int:
        """Messages for this consumer on the stream not applied yet, as JetStream counts them:
        not delivered yet, or delivered and not acknowledged."""
        info = await self._js.consumer_info(streams.EVENTS.name, self.name, timeout=timeout)
        return info.num_pending + info.num_ack_pending

    async def delete(self) -> None:
        """Removes the durable consumer from the stream, for a consumer not needed any more."""
        await self._connect()
        with suppress(NotFoundError):
            await self._js.delete_consumer(streams.EVENTS.name, self.name)

    async def _connect(self) -> None:
        if self._connection is None:
            self._connection = await connect(self._nats_url, name=f"{self.name}-consumer")
            self._js = self._connection.jetstream()

    async def align(self) -> None:
        """Makes the durable consumer deliver from the projection's position on."""
        await self._connect()
        await ensure_streams(self._js)
        await align(
            self._js, self.name, self._filters, self._projection.last_sequence(),
            ack_wait=self._ack_wait, max_ack_pending=self._max_ack_pending,
        )

    async def _consume(self, pull: BatchPull) -> None:
        while True:
            messages = await pull.next()
            if messages:
                await self.handle(messages)

    async def handle(self, messages: list[Msg]) -> None:
        """Applies a fetched batch and acknowledges it."""
        async with self._handling:
            with collection_paused():
                await self._handle(messages)

    async def _handle(self, messages: list[Msg]) -> None:
        position = self._projection.last_sequence()
        fresh: list[Msg] = []
        for message in messages:
            sequence = stream_sequence(message)
            if sequence <= position:
                continue  # a redelivery of what is already applied
            if self._consecutive and sequence != position + 1:
                raise OutOfOrder(f"stream sequence {sequence} arrived before {position + 1}")
            fresh.append(message)
            position = sequence
        parsed, unreadable = {}, []
        for message in fresh:
            if message.headers and streams.COPY_OF_HEADER in message.headers:
                continue  # the same event in an older version: its newest follows, read that
            event = await self._parse(message)
            if event is None:
                unreadable.append(stream_sequence(message))
            else:
                parsed[event.event_id] = (event, message)
        if fresh:
            # In the event loop: a batch takes milliseconds, and handing it to a thread
            # was measured to cost several times that in contention for the GIL.
            with traced(self._tracer, self.name, parsed) as spans:
                refusals = self._projection.apply([event for event, _ in parsed.values()], position, unreadable)
                for refusal in refusals:
                    # Not traced: the invalid span, on which this does nothing.
                    spans.get(refusal.event.event_id, INVALID_SPAN).set_status(Status(StatusCode.ERROR, "parked"))
            for refusal in refusals:
                await self._parking.park(self._js, parsed[refusal.event.event_id][1], refusal.reason)
        await messages[-1].ack()

    async def _parse(self, message: Msg) -> Event | None:
        try:
            event = catalogue.parse(message.subject, message.data)
        except (catalogue.UnknownEventError, catalogue.ValidationError) as error:
            await self._parking.park(self._js, message, str(error))
            return None
        # A value of a newer contracts version would be counted or stored as whatever its
        # text reads; parked, it is applied once this service is upgraded and replays it.
        # Fields it does not know are left aside: only optional ones are ever added.
        if unknown := unknown_values(event):
            await self._parking.park(self._js, message, "; ".join(unknown) + " (upgrade peerwork-contracts, then replay it)")
            return None
        return event

    async def replay(self, dead_letters: Sequence[int]) -> dict[int, str]:
        """Applies the messages parked at these sequences of the dead-letter stream, between
        batches; says what came of each (APPLIED, UNCHANGED, or why it is refused)."""
        await self._connect()
        async with self._handling:
            return {sequence: await self._parking.replay(self._js, sequence) for sequence in dead_letters}
