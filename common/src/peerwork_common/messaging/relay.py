"""The outbox relay: follows a write service's notification log and puts each public
event on JetStream, exactly once and in order.

The stream itself says how far the relay got: every message carries its notification id
(``Peerwork-Position``), so after any crash the relay resumes after the last one found on
the stream. Each publication also states the stream sequence of the service's previous
message (``Nats-Expected-Last-Subject-Sequence`` over the service's subjects): if anything
else was written in between (a second relay, a retried publication that had in fact gone
through) the stream refuses it, and the relay re-reads its position from the stream.
``Nats-Msg-Id`` is the event's deterministic id, for JetStream's own dedupe window.

Each run of pending notifications (of a dozen messages or more: ``_SMALLEST_BATCH``) goes
out as one atomic batch (``atomic_batches``: up to 1,000 messages stored together or not at
all, the expected sequence stated by the first),
one round trip a batch instead of one a message: 2,700 msgs/s awaited one at a time against
18,000 in batches of 500 on the same nats-server (2 cores, 1 KB bodies). A run is made ready
(``ready``) while the one before is committed: the server's commit is mostly waiting (see
``_publish_to_end``), the relay's Python meanwhile has the core. A relay killed
halfway through a batch leaves none of it on the stream; a batch retried after it had in
fact been stored is refused (its message ids are) and the relay re-reads its position.
Where the server (before 2.12) or the stream (created without ``allow_atomic``) does not
take batches, the relay says so in its log and publishes one message at a time, as before.

An event whose older versions the contracts still publish beside it (``outgoing``) goes out
as its copies in those versions, then itself, all with its position: the copies carry
``Peerwork-Copy-Of``, so a relay that finds one last on the stream resumes within that
notification, after it, and the newest is never lost.

Traced (``tracing``), each publication is a span, child of the request's that stored the
event (its provenance keeps that context), and the message carries the span's W3C context
(``traceparent``, ``tracestate``) for the consumers to continue the trace.
"""

import asyncio
import logging
from collections.abc import Callable, Collection
from contextlib import suppress
from typing import Any

from eventsourcing.domain import DomainEvent
from eventsourcing.utils import resolve_topic
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import APIError, NotFoundError
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from peerwork_common.eventstore.application import WriteApplication
from peerwork_common.eventstore.notification_reads import PostgresNotificationReads, SQLiteNotificationReads
from peerwork_common.messaging import atomic_batches
from peerwork_common.messaging.batches import collection_paused
from peerwork_common.messaging.nats import connect, ensure_streams
from peerwork_common.messaging.outgoing import Resumption, outgoing
from peerwork_common.messaging.ready import Ready, Run, next_run
from peerwork_common.trace_context import carrier_of, context_of
from peerwork_common.workers.worker import MustStop, StartAgain, Worker
from peerwork_contracts import streams, subjects
from peerwork_contracts.envelope import Event

log = logging.getLogger(__name__)

ToContract = Callable[[DomainEvent, int], Event | None]

_WRONG_LAST_SEQUENCE = 10071

# nats-server 2.15 takes 3.5-4 ms to commit an atomic batch, whatever its size up to a few
# dozen messages, where a message published alone takes 0.35 ms: a run of fewer messages
# than this (as when commands come one at a time) goes out one message at a time, each
# stored whole and checked against the one before. In batches only, the latency at 100
# commands/s doubled (p50 15 -> 30 ms).
_SMALLEST_BATCH = 12


class RelayRefused(MustStop):
    """Relaying on would corrupt the stream: an operator must look."""


class StreamMovedOn(StartAgain):
    """The stream's last message of this service is not the one the relay published last."""


class _OneByOne(Exception):
    """The stream refused a batch as batches are not allowed on it: nothing of it is stored."""


class Relay(Worker):
    def __init__(
        self,
        app: WriteApplication,
        to_contract: ToContract,
        nats_url: str,
        *,
        batch_size: int = atomic_batches.MOST_MESSAGES,
        poll_interval: float = 1.0,
        publish_timeout: float = 5.0,
        max_backoff: float = 5.0,
        tracer: Tracer | None = None,
        published: Collection[type] | None = None,
    ) -> None:
        """``batch_size``: notifications read from the log at a time. ``tracer``: None, tracing
        off. ``published``: the domain event types ``to_contract`` publishes; the others'
        notifications are not decoded, nor read once their topic is met (None: every one is)."""
        self.label = f"relay {app.name}"
        self._app = app
        self._tracer = tracer
        self._to_contract = to_contract
        # Decoding the events that stay in the service, to map them to nothing, was a tenth of
        # the relay's time when half the log is such (an import: each person's legal basis);
        # reading them at all, 5 µs more an event (runs made ready in 36 against 41 µs an event,
        # 20,000 registrations, best of 5): once met, their topic is left out of the reads.
        self._published = published
        self._topics: dict[str, bool] = {}  # whether each topic met is published
        # Those that are not, replaced and never changed: a run made ready after one that failed
        # may still be reading in its thread as the next pass reads.
        self._staying: frozenset[str] = frozenset()
        self._nats_url = nats_url
        self.source = app.name
        self._filter = subjects.service_events(self.source)
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._publish_timeout = publish_timeout
        self.max_backoff = max_backoff
        self._loop: asyncio.AbstractEventLoop | None = None
        self._woken = asyncio.Event()
        self._connection: Client | None = None
        self._js: JetStreamContext | None = None
        self.position = 0  # notification id of the last event known to be on the stream
        self._resumption = Resumption(0)  # what the stream held when the relay recovered
        self.published = 0  # events this process put on the stream
        self._last_sequence = 0  # stream sequence of this service's last message
        self.atomic = False  # whether the stream takes atomic batches, found as the relay recovers

    def wake(self) -> None:
        """Tells the relay that events were saved; safe to call from any thread."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._woken.set)

    async def _work(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self._connect()
        await self._recover_position()
        self._working()
        await self._follow_log()

    async def publish_pending(self) -> int:
        """Publishes every event not yet on the stream; returns how many were relayed."""
        await self._connect()
        await self._recover_position()
        return await self._publish_to_end()

    async def _connect(self) -> None:
        if self._connection is None:
            self._connection = await connect(self._nats_url, name=f"{self.source}-relay")
            self._js = self._connection.jetstream()

    async def _recover_position(self) -> None:
        await ensure_streams(self._js)
        try:
            last = await self._js.get_last_msg(streams.EVENTS.name, self._filter)
        except NotFoundError:
            self._resumption, self._last_sequence = Resumption(0), 0
        else:
            headers = last.headers or {}
            if streams.POSITION_HEADER not in headers:
                raise RelayRefused(
                    f"message {last.seq} on {last.subject} was not published by the {self.source} "
                    f"relay (no {streams.POSITION_HEADER} header): only the relay may publish there"
                )
            position = int(headers[streams.POSITION_HEADER])
            self._resumption = Resumption.after(position, headers, last.subject)
            self._last_sequence = last.seq
            stored = await asyncio.to_thread(self._app.recorder.max_notification_id) or 0
            if position > stored:
                # Relaying on would silently skip this store's first events.
                raise RelayRefused(
                    f"the stream already holds {self.source} events up to notification "
                    f"{position}, but this event store ends at {stored}: it is not the store "
                    "those events came from (a wiped or swapped database?); refusing to relay"
                )
        self.position = self._resumption.position
        self.atomic = await self._atomic_batches_allowed()
        log.info("relay %s: resuming after notification %d", self.source, self.position)

    async def _atomic_batches_allowed(self) -> bool:
        version = self._connection.connected_server_version
        if (version.major, version.minor) < (2, 12):
            log.warning("relay %s: nats-server %d.%d.%d takes no atomic batches (2.12+): publishing "
                        "one message at a time", self.source, version.major, version.minor, version.patch)
            return False
        if not (await self._js.stream_info(streams.EVENTS.name)).config.allow_atomic:
            log.warning("relay %s: stream %s does not allow atomic batches: publishing one message "
                        "at a time (deploy/README.md says how to allow them)", self.source, streams.EVENTS.name)
            return False
        return True

    async def _follow_log(self) -> None:
        while True:
            self._woken.clear()  # before the log is read to its end: an event saved since wakes it
            await self._publish_to_end()
            # Events saved by another process are found by polling. asyncio.timeout, not
            # wait_for, which on Python 3.11 can drop a cancellation (the relay never stops).
            with suppress(TimeoutError):
                async with asyncio.timeout(self._poll_interval):
                    await self._woken.wait()

    async def _publish_to_end(self) -> int:
        """Publishes the log's runs to its end; returns how many events were relayed. Each run is
        made ready (in a thread) while the one before is published: an atomic batch's commit is
        mostly the server's waiting (a batch of 1,000 messages: 25 ms, 7 ms of it the server's
        CPU; of 10: 14 ms, 2 ms of CPU), during which the relay's Python has the core."""
        published_before = self.published
        run = await self._next_run(None)
        while True:
            following = None if run.error or run.at_end else asyncio.ensure_future(self._next_run(run))
            try:
                await self._publish_run(run)
            except BaseException:
                if following is not None:
                    following.cancel()  # made ready after a run not published: the pass starts again
                raise
            if run.error is not None:
                raise run.error  # those before it are out: the relay stops at the one it cannot map
            if following is None:
                return self.published - published_before
            run = await following

    async def _next_run(self, after: Run | None) -> Run:
        return await asyncio.to_thread(self._made_ready, after, self.position)

    def _made_ready(self, after: Run | None, position: int) -> Run:
        # A run's notifications, events and messages live until it is published: the collector
        # went over them again and again (paused: 16,200 against 14,400 events/s, medians of 3).
        with collection_paused():
            return next_run(self._read, self._batch_size, self._ready, after, atomic_batches.MOST_MESSAGES, position)

    def _read(self, start: int) -> tuple[list[Any], int]:
        recorder = self._app.recorder
        if isinstance(recorder, (SQLiteNotificationReads, PostgresNotificationReads)):
            # Only the topics known to stay: one unknown (a newer replica's) is read, and stops the relay.
            return recorder.select_notifications_except(start, self._batch_size, self._staying)
        notifications = recorder.select_notifications(start, self._batch_size)  # in memory: every one
        return notifications, notifications[-1].id if notifications else start - 1

    def _publishes(self, topic: str) -> bool:
        if self._published is None:
            return True
        if (published := self._topics.get(topic)) is None:
            published = self._topics[topic] = resolve_topic(topic) in self._published
            if not published:
                self._staying |= {topic}
        return published

    def _ready(self, notification: Any) -> list[Ready]:
        if not self._publishes(notification.topic):
            return []
        domain_event = self._app.publication_mapper.to_domain_event(notification)
        event = self._to_contract(domain_event, notification.id)
        if event is None:
            return []
        messages = self._resumption.still_to_publish(notification.id, outgoing(event))
        return [Ready.of(message, notification.id, self._filter) for message in messages]

    async def _publish_run(self, run: Run) -> None:
        if self.atomic and run.messages >= _SMALLEST_BATCH:
            try:
                await self._publish_batch(run)
                self._relayed(run.notifications)
                return self._passed(run)
            except _OneByOne:
                self.atomic = False  # until the relay recovers again
        for notification, messages in run.notifications:
            for message in messages:
                span = self._span(message, notification)
                try:
                    await self._publish(message, carrier_of(span))
                finally:
                    _end(span)
            self._relayed([(notification, messages)])
        self._passed(run)

    def _relayed(self, notifications: list[tuple[Any, list[Ready]]]) -> None:
        self.published += sum(1 for _, messages in notifications if messages)
        if notifications:
            self.position = notifications[-1][0].id

    def _passed(self, run: Run) -> None:
        if not run.rest:  # all it read is out: the position passes those the reads left out after it
            self.position = run.read_up_to

    async def _publish_batch(self, run: Run) -> None:
        spans, batch = [], []
        for notification, messages in run.notifications:
            for message in messages:
                spans.append(span := self._span(message, notification))
                # Checked at the commit against the stream as it was before the batch.
                headers = message.first_headers(self._last_sequence, self._filter) if not batch else message.headers
                if span is not None:
                    headers = {**headers, **carrier_of(span)}
                batch.append(atomic_batches.Message(message.subject, message.body, headers))
        if not batch:
            return
        try:
            ack = await atomic_batches.publish_atomically(self._connection, batch, self._publish_timeout)
        except Exception as error:
            for span in spans:
                _end(span, error)
            code = error.err_code if isinstance(error, APIError) else None
            if code == atomic_batches.ATOMIC_PUBLISH_DISABLED:
                log.warning("relay %s: the stream no longer allows atomic batches: publishing one message "
                            "at a time", self.source)
                raise _OneByOne from error
            if code in (_WRONG_LAST_SEQUENCE, atomic_batches.DUPLICATE_MESSAGE_ID):
                raise StreamMovedOn(f"the stream moved on ({error})") from error
            # The loop retries and says why; this names the batch held up.
            log.info("relay %s: %d messages (notifications %d to %d) not published: %r", self.source,
                     len(batch), run.notifications[0][0].id, run.notifications[-1][0].id, error)
            raise
        for span in spans:
            _end(span)
        self._last_sequence = ack.seq

    def _span(self, message: Ready, notification: Any) -> Span | None:
        """A span for the publication of ``message``, child of the request's that stored its
        event (its provenance keeps that context); None when tracing is off."""
        if self._tracer is None:
            return None
        provenance = self._app.publication_mapper.provenance_of(notification)
        subject = message.subject
        return self._tracer.start_span(
            f"publish {subject}", context=context_of(provenance.trace_context) if provenance else None,
            kind=SpanKind.PRODUCER, attributes={
                "messaging.system": "nats", "messaging.operation.type": "send",
                "messaging.destination.name": subject, "messaging.message.id": message.outgoing.msg_id,
            },
        )

    async def _publish(self, message: Ready, trace_context: dict[str, str]) -> None:
        event, position = message.outgoing.event, message.position
        headers = message.outgoing.headers_at(position, self._last_sequence, self._filter)
        try:
            ack = await self._js.publish(
                message.subject, message.body, timeout=self._publish_timeout,
                stream=streams.EVENTS.name, headers={**headers, **trace_context},
            )
        except Exception as error:
            if isinstance(error, APIError) and error.err_code == _WRONG_LAST_SEQUENCE:
                raise StreamMovedOn(f"the stream moved on ({error})") from error
            # The loop retries and says why; this names the message held up.
            log.info(
                "relay %s: %s on %s (notification %d) not published: %r", self.source, message.outgoing.msg_id,
                event.subject(), position, error, extra={"event_id": str(event.event_id)},
            )
            raise
        self._last_sequence = ack.seq


def _end(span: Span | None, error: Exception | None = None) -> None:
    if span is None:
        return
    if error is not None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, repr(error)))
    span.end()
