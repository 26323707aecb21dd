"""A durable JetStream pull consumer that feeds contract events to a projection, in order.

The projection stores the stream sequence it reached in the same transaction as its own
changes, and it is the only source of truth for the position: at start-up, and whenever
delivery does not follow on from that position, the durable consumer is re-created to
deliver from the position on. A redelivered message at or below the position is acked and
skipped, so a crash between the commit and the ack never applies anything twice.

A message that is not a known, valid event, or that holds a value of a closed list this
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
import gc
import json
import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import ExitStack, asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from typing import Protocol

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, RawStreamMsg
from nats.js.errors import NotFoundError
from opentelemetry.trace import INVALID_SPAN, Link, SpanKind, Status, StatusCode, Tracer

from peerwork_common.messaging.nats import connect, ensure_streams
from peerwork_common.messaging.pulls import BatchPull
from peerwork_common.operations.tracing import context_of
from peerwork_common.workers.leadership import Leadership, run_while_leading
from peerwork_common.workers.worker import Worker
from peerwork_contracts import catalogue, streams, subjects
from peerwork_contracts.envelope import Event
from peerwork_contracts.evolution import unknown_values

log = logging.getLogger(__name__)

EVERY_EVENT = f"{subjects.ROOT}.>"

# What came of a replayed message, when it was not refused again.
APPLIED = "applied"
UNCHANGED = "nothing to apply: applied already, or nothing this consumer keeps"


def replay_subject(consumer: str) -> str:
    """Where the running consumer takes replay requests (core NATS request and reply)."""
    return f"{subjects.ROOT}.replay.{consumer}"


@dataclass(frozen=True)
class Refusal:
    """An event a projection could not apply, and why: it is parked, not lost."""

    event: Event
    reason: str


class Projection(Protocol):
    """Where the consumer's events go."""

    def last_sequence(self) -> int:
        """Stream sequence of the last message applied (0 before the first)."""

    def apply(self, events: Sequence[Event], last_sequence: int, parked: Sequence[int] = ()) -> Sequence[Refusal]:
        """Applies the events and records ``last_sequence``; returns the events refused.
        ``parked``: the stream sequences of the batch's messages parked as unreadable, for a
        projection that could not otherwise tell them, once replayed, from what it applied.

        Called in the event loop, so it must be quick: a local database write."""

    def replay(self, event: Event, sequence: int) -> str:
        """Applies ``event``, parked from stream sequence ``sequence``, unless it is applied
        already; returns APPLIED, UNCHANGED or why it is refused again."""


class OutOfOrder(Exception):
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
        self._tracer = tracer
        self._nats_url = nats_url
        self._projection = projection
        # One subject, or several (a consumer of some of a service's events).
        self._filters = (filter_subject,) if isinstance(filter_subject, str) else tuple(filter_subject)
        # Only a consumer of the whole stream sees consecutive sequences, so only it can tell
        # a gap from a message it was never meant to see.
        self._consecutive = self._filters == (EVERY_EVENT,)
        self._batch_size = batch_size
        # A batch being applied, and the next one on its way (see ``pulls``).
        self._max_ack_pending = max(10_000, 2 * batch_size)
        self._ack_wait = ack_wait
        self._idle_wait = idle_wait
        self._max_backoff = max_backoff
        self._dead_letters = subjects.dead_letter_subject(name)
        self._replayable = {subjects.dead_letter_subject(other) for other in (name, *replays_for)}
        self._connection: Client | None = None
        self._js: JetStreamContext | None = None
        self._handling = asyncio.Lock()
        self.attached = False  # pulling from its durable consumer

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """No batch is applied while in this context (the one under way is finished first)."""
        async with self._handling:
            yield

    async def run(self) -> None:
        """Consumes until cancelled, waiting out NATS outages and the projection's failures."""
        self._started()
        backoff = 0.1
        while True:
            try:
                await self._connect()
                await self.align()
                pull = BatchPull(
                    self._connection, streams.EVENTS.name, self.name, self._batch_size, self._idle_wait
                )
                await pull.start()
                replays = await self._connection.subscribe(replay_subject(self.name), cb=self._answer_replay)
                backoff = 0.1
                self.attached = True
                try:
                    await self._consume(pull)
                finally:
                    self.attached = False
                    await pull.stop()
                    with suppress(NatsError):
                        await replays.unsubscribe()
            except OutOfOrder as error:
                log.warning("consumer %s: %s; starting again from the stored position", self.name, error)
                continue
            except (TimeoutError, NatsError, OSError) as error:
                log.warning("consumer %s: NATS unavailable (%r); retrying in %.1fs", self.name, error, backoff)
            except Exception:
                # Nothing was acked past the projection's position, so starting again from
                # it loses nothing; stopping would leave the views stale with no one told.
                log.exception("consumer %s failed; starting again in %.1fs", self.name, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self._max_backoff)

    @property
    def position(self) -> int:
        """Stream sequence of the last message the projection applied."""
        return self._projection.last_sequence()

    async def pending(self, timeout: float) -> int:
        """Messages for this consumer on the stream not applied yet, as JetStream counts them:
        not delivered yet, or delivered and not acknowledged."""
        info = await self._js.consumer_info(streams.EVENTS.name, self.name, timeout=timeout)
        return info.num_pending + info.num_ack_pending

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()

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
        position = self._projection.last_sequence()
        try:
            info = await self._js.consumer_info(streams.EVENTS.name, self.name)
        except NotFoundError:
            info = None
        if info is not None:
            if (
                info.ack_floor.stream_seq == position
                and not info.num_ack_pending
                and _filters_of(info.config) == self._filters
                and info.config.ack_policy == AckPolicy.ALL
                and (info.config.max_ack_pending or 0) >= self._max_ack_pending
            ):
                return
            log.info("consumer %s: re-aligning on stream sequence %d", self.name, position)
            await self._js.delete_consumer(streams.EVENTS.name, self.name)
        await self._js.add_consumer(
            streams.EVENTS.name,
            ConsumerConfig(
                durable_name=self.name,
                # One subject is set as before, so that an existing consumer stays as it is.
                filter_subject=self._filters[0] if len(self._filters) == 1 else None,
                filter_subjects=list(self._filters) if len(self._filters) > 1 else None,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=position + 1,
                # One ack per batch: acking a message acknowledges every one before it.
                ack_policy=AckPolicy.ALL,
                ack_wait=self._ack_wait,
                max_ack_pending=self._max_ack_pending,
            ),
        )

    async def _consume(self, pull: BatchPull) -> None:
        while True:
            messages = await pull.next()
            if messages:
                await self.handle(messages)

    async def handle(self, messages: list[Msg]) -> None:
        """Applies a fetched batch and acknowledges it."""
        async with self._handling:
            with _collection_paused():
                await self._handle(messages)

    async def _handle(self, messages: list[Msg]) -> None:
        position = self._projection.last_sequence()
        fresh: list[Msg] = []
        for message in messages:
            sequence = _stream_sequence(message)
            if sequence <= position:
                continue  # a redelivery of what is already applied
            if self._consecutive and sequence != position + 1:
                raise OutOfOrder(f"stream sequence {sequence} arrived before {position + 1}")
            fresh.append(message)
            position = sequence
        parsed, unreadable = {}, []
        for message in fresh:
            event = await self._parse(message)
            if event is None:
                unreadable.append(_stream_sequence(message))
            else:
                parsed[event.event_id] = (event, message)
        if fresh:
            # In the event loop: a batch takes milliseconds, and handing it to a thread
            # was measured to cost several times that in contention for the GIL.
            with self._traced(parsed) as spans:
                refusals = self._projection.apply([event for event, _ in parsed.values()], position, unreadable)
                for refusal in refusals:
                    # Not traced: the invalid span, on which this does nothing.
                    spans.get(refusal.event.event_id, INVALID_SPAN).set_status(Status(StatusCode.ERROR, "parked"))
            for refusal in refusals:
                await self._park(parsed[refusal.event.event_id][1], refusal.reason)
        await messages[-1].ack()

    @contextmanager
    def _traced(self, parsed: dict) -> Iterator[dict]:
        """A span for the batch, and one for each event (by id), while it is applied."""
        if self._tracer is None:
            yield {}
            return
        with ExitStack() as stack:
            batch = stack.enter_context(self._tracer.start_span(
                f"process {self.name}", kind=SpanKind.CONSUMER,
                attributes={"messaging.system": "nats", "messaging.batch.message_count": len(parsed)},
            ))
            spans = {}
            for event_id, (event, message) in parsed.items():
                spans[event_id] = stack.enter_context(self._tracer.start_span(
                    f"apply {message.subject}", context=context_of(message.headers or {}),
                    kind=SpanKind.CONSUMER, links=[Link(batch.get_span_context())],
                    attributes={"messaging.destination.name": message.subject, "messaging.message.id": str(event_id)},
                ))
            yield spans

    async def _parse(self, message: Msg) -> Event | None:
        try:
            event = catalogue.parse(message.subject, message.data)
        except (catalogue.UnknownEventError, catalogue.ValidationError) as error:
            await self._park(message, str(error))
            return None
        # A value of a newer contracts version would be counted or stored as whatever its
        # text reads; parked, it is applied once this service is upgraded and replays it.
        # Fields it does not know are left aside: only optional ones are ever added.
        if unknown := unknown_values(event):
            await self._park(message, "; ".join(unknown) + " (upgrade peerwork-contracts, then replay it)")
            return None
        return event

    async def _park(self, message: Msg, error: str) -> None:
        sequence = _stream_sequence(message)
        headers = dict(message.headers or {})
        log.warning(
            "consumer %s: parking stream message %d on %s: %s",
            self.name, sequence, message.subject, error,
            extra={"event_id": headers.get(streams.MSG_ID_HEADER)},  # the relay's event id
        )
        headers.update({
            # Parked again after a crash, it is still parked once.
            streams.MSG_ID_HEADER: f"{self.name}:{sequence}",
            streams.ORIGINAL_SUBJECT_HEADER: message.subject,
            streams.ORIGINAL_SEQUENCE_HEADER: str(sequence),
            streams.ERROR_HEADER: " ".join(error.split())[:500],  # headers are one line
        })
        await self._js.publish(self._dead_letters, message.data, headers=headers, stream=streams.DEAD_LETTERS.name)

    async def replay(self, dead_letters: Sequence[int]) -> dict[int, str]:
        """Applies the messages parked at these sequences of the dead-letter stream, between
        batches; says what came of each (APPLIED, UNCHANGED, or why it is refused)."""
        await self._connect()
        async with self._handling:
            return {sequence: await self._replay(sequence) for sequence in dead_letters}

    async def _replay(self, sequence: int) -> str:
        try:
            parked: RawStreamMsg = await self._js.get_msg(streams.DEAD_LETTERS.name, sequence)
        except NotFoundError:
            return f"refused: no message {sequence} on {streams.DEAD_LETTERS.name}"
        if parked.subject not in self._replayable:
            return f"refused: message {sequence} is on {parked.subject}, not {' or '.join(sorted(self._replayable))}"
        headers = parked.headers or {}
        try:
            event = catalogue.parse(headers[streams.ORIGINAL_SUBJECT_HEADER], parked.data or b"")
        except (catalogue.UnknownEventError, catalogue.ValidationError) as error:
            return f"refused: still unreadable: {' '.join(str(error).split())[:500]}"
        outcome = self._projection.replay(event, int(headers[streams.ORIGINAL_SEQUENCE_HEADER]))
        log.info("consumer %s: dead letter %d replayed: %s", self.name, sequence, outcome)
        return outcome if outcome in (APPLIED, UNCHANGED) else f"refused: {outcome}"

    async def _answer_replay(self, request: Msg) -> None:
        try:
            sequences = [int(sequence) for sequence in json.loads(request.data)["sequences"]]
        except (ValueError, KeyError, TypeError) as error:
            await request.respond(json.dumps({"error": f"not a replay request: {error}"}).encode())
            return
        try:
            outcomes = await self.replay(sequences)
        except Exception as error:  # the operator is told, and may try again
            log.exception("consumer %s: replay of %s failed", self.name, sequences)
            await request.respond(json.dumps({"error": f"replay failed: {error!r}"}).encode())
            return
        await request.respond(json.dumps({"outcomes": {str(s): o for s, o in outcomes.items()}}).encode())


@contextmanager
def _collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is parsed and applied. Its messages,
    events and rows, hundreds of thousands of objects living until it is applied, would
    otherwise be gone over again at every collection (one per 700 allocations): a quarter
    of a rebuild's time, measured. Reference counting still frees what is let go of."""
    if not gc.isenabled():  # paused by another consumer's batch, or by the application
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _filters_of(config: ConsumerConfig) -> tuple[str, ...]:
    if config.filter_subjects:
        return tuple(config.filter_subjects)
    return (config.filter_subject,) if config.filter_subject else ()


def _stream_sequence(message: Msg) -> int:
    """The message's stream sequence, read from its ack subject as ``Msg.metadata`` does,
    without making the rest of the metadata (objects and a datetime: µs per message)."""
    tokens = message.reply.split(".")
    return int(tokens[5] if len(tokens) == 9 else tokens[Msg.Ack.StreamSeq])  # v1 or v2 form


@asynccontextmanager
async def consuming(
    consumer: DurableConsumer, leadership: Leadership | None = None
) -> AsyncIterator[DurableConsumer]:
    """Runs the consumer in the background for the duration of the context; it waits out
    NATS being away, so the service starts without it. With a ``leadership``, only while
    this replica holds it: replicas pulling from one durable consumer would each see a
    part of the stream, out of order."""
    running = (
        consumer.run()
        if leadership is None
        else run_while_leading(f"consumer {consumer.name}", leadership, consumer.run, lambda: None)
    )
    task = asyncio.create_task(running, name=f"{consumer.name}-consumer")
    task.add_done_callback(_log_crash)
    try:
        yield consumer
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        await consumer.close()


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.critical("%s stopped: events are no longer applied", task.get_name(), exc_info=task.exception())
