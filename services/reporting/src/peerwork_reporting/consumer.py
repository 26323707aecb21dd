"""Feeds the statistics store from JetStream through a durable pull consumer.

Messages are applied strictly in stream order: after a crash JetStream would redeliver the
unacknowledged batch only once its ack wait expires, while handing out later messages
straight away. So at start-up the durable consumer is re-aligned on the store's own
position, and a batch that does not follow on from the store's position is sent back.
A message that is not a known event is parked on the dead-letter subject.
"""

import asyncio
import logging
from typing import Annotated, Any

from faststream import AckPolicy, Context
from faststream.message import StreamMessage
from faststream.nats import ConsumerConfig, DeliverPolicy, JStream, NatsBroker, PullSub
from faststream.nats.message import NatsBatchMessage
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from peerwork_common.nats import ensure_streams
from peerwork_contracts import catalogue, streams, subjects
from peerwork_contracts.envelope import Event

from .store import StatisticsStore

log = logging.getLogger(__name__)

FILTER = f"{subjects.ROOT}.>"


class Projector:
    def __init__(self, store: StatisticsStore, broker: NatsBroker, consumer_name: str) -> None:
        self._store = store
        self._broker = broker
        self._dead_letters = subjects.dead_letter_subject(consumer_name)

    async def handle(self, messages: list[Msg]) -> None:
        in_order = self._following_on(messages)
        events: list[Event] = []
        for message in in_order:
            try:
                events.append(catalogue.parse(message.subject, message.data))
            except (catalogue.UnknownEventError, catalogue.ValidationError) as error:
                await self._park(message, error)
        if in_order:
            last_sequence = in_order[-1].metadata.sequence.stream
            await asyncio.to_thread(self._store.apply, events, last_sequence)
        for message in in_order:
            await message.ack()
        for message in messages[len(in_order):]:
            await message.nak(delay=0.5)

    def _following_on(self, messages: list[Msg]) -> list[Msg]:
        """The messages that follow on from the store's position, duplicates included."""
        expected = self._store.last_sequence + 1
        accepted = []
        for message in messages:
            sequence = message.metadata.sequence.stream
            if sequence > expected:
                log.info("stream sequence %d arrived before %d: waiting for it", sequence, expected)
                break
            accepted.append(message)
            expected = max(expected, sequence + 1)
        return accepted

    async def _park(self, message: Msg, error: Exception) -> None:
        log.warning(
            "parking message %d on %s: %s", message.metadata.sequence.stream, message.subject, error
        )
        headers = dict(message.headers or {})
        headers.pop(streams.MSG_ID_HEADER, None)
        headers.update({"Peerwork-Original-Subject": message.subject, "Peerwork-Error": str(error)[:500]})
        await self._broker.publish(
            message.data, self._dead_letters, headers=headers, stream=streams.DEAD_LETTERS.name
        )


async def align_consumer(js: JetStreamContext, name: str, store: StatisticsStore, ack_wait: float) -> None:
    """Makes the durable consumer deliver from the store's position on."""
    await ensure_streams(js)
    try:
        info = await js.consumer_info(streams.EVENTS.name, name)
    except NotFoundError:
        info = None
    if info is not None:
        if info.ack_floor.stream_seq == store.last_sequence and not info.num_ack_pending:
            return
        log.info("re-aligning consumer %s on stream sequence %d", name, store.last_sequence)
        await js.delete_consumer(streams.EVENTS.name, name)
    await js.add_consumer(streams.EVENTS.name, consumer_config(name, store.last_sequence, ack_wait))


def consumer_config(name: str, last_sequence: int, ack_wait: float) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=name,
        filter_subject=FILTER,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
        opt_start_seq=last_sequence + 1,
        ack_wait=ack_wait,
        max_ack_pending=10_000,
    )


async def _undecoded(message: StreamMessage[Any]) -> None:
    """The projector parses the raw messages itself, so that it can park bad ones."""


def subscribe(broker: NatsBroker, projector: Projector, name: str, batch_size: int) -> None:
    @broker.subscriber(
        FILTER,
        stream=JStream(streams.EVENTS.name, declare=False),
        durable=name,
        pull_sub=PullSub(batch_size=batch_size, timeout=1.0, batch=True),
        ack_policy=AckPolicy.MANUAL,
        decoder=_undecoded,
        title="peerwork events",
        description="Every public event, projected into the statistics.",
    )
    async def on_events(body: None, message: Annotated[NatsBatchMessage, Context("message")]) -> None:
        await projector.handle(message.raw_message)
