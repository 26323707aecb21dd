"""The durable consumer against a real nats-server: in order, once, bad messages parked."""

import asyncio
import json
import logging
import uuid
from datetime import date, datetime, timezone

import nats
import pytest

from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_common.messaging.consumer import DurableConsumer, OutOfOrder
from peerwork_common.messaging.pulls import BatchPull
from peerwork_common.workers.background import in_background
from peerwork_contracts import streams, subjects
from peerwork_contracts.registry import PartnerStructureRegistered, PeerWorkerRegistered
from peerwork_reporting.reads.statistics import Statistics
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import Recorded, eventually_async


def registered(position: int) -> PeerWorkerRegistered:
    return PeerWorkerRegistered.build(
        source="registry",
        occurred_at=date(2022, 1, 1),
        recorded_at=datetime(2024, 1, 1, tzinfo=timezone.utc),
        position=position,
        aggregate_id=uuid.uuid4(),
        aggregate_version=1,
        payload={"departement": "38", "domains": ["addiction"]},
    )


async def publish(js, count: int, first: int = 1) -> None:  # noqa: ANN001
    for position in range(first, first + count):
        event = registered(position)
        await js.publish(event.subject(), event.model_dump_json().encode(), stream=streams.EVENTS.name)


async def applied(projection: Recorded, count: int) -> None:
    async def done() -> bool:
        return len(projection.events) >= count

    await eventually_async(done)


async def test_applies_every_event_once_in_order_across_restarts(server, js):
    projection = Recorded()
    consumer = DurableConsumer(server.url, "test", projection)
    await consumer.align()  # declares the streams
    await publish(js, 30)
    async with in_background(consumer):
        await applied(projection, 30)
    await publish(js, 20, first=31)
    async with in_background(DurableConsumer(server.url, "test", projection)):
        await applied(projection, 50)
        await asyncio.sleep(0.3)
    assert [event.position for event in projection.events] == list(range(1, 51))
    assert projection.position == 50


async def test_a_redelivery_of_what_is_applied_is_acked_not_applied_again(server, js):
    projection = Recorded()
    consumer = DurableConsumer(server.url, "test", projection, ack_wait=1)
    await consumer.align()
    await publish(js, 5)
    subscription = await js.pull_subscribe_bind("test", stream=streams.EVENTS.name)
    first = await subscription.fetch(5, timeout=2)
    # Applied and committed, then the process died before acking.
    projection.apply([PeerWorkerRegistered.model_validate_json(m.data) for m in first], first[-1].metadata.sequence.stream)
    redelivered = await subscription.fetch(5, timeout=5)
    assert [m.metadata.num_delivered for m in redelivered] == [2] * 5
    await consumer.handle(redelivered)
    assert len(projection.events) == 5

    async def acked() -> bool:
        info = await js.consumer_info(streams.EVENTS.name, "test")
        return info.num_ack_pending == 0 and info.ack_floor.stream_seq == 5

    await eventually_async(acked)
    await consumer.close()


async def test_a_gap_in_delivery_applies_nothing_and_restarts_from_the_position(server, js):
    projection = Recorded()
    consumer = DurableConsumer(server.url, "test", projection)
    await consumer.align()
    await publish(js, 3)
    subscription = await js.pull_subscribe_bind("test", stream=streams.EVENTS.name)
    messages = await subscription.fetch(3, timeout=2)
    with pytest.raises(OutOfOrder):
        await consumer.handle(messages[1:])
    assert projection.events == []
    await consumer.close()

    async with in_background(DurableConsumer(server.url, "test", projection)):
        await applied(projection, 3)
    assert [event.position for event in projection.events] == [1, 2, 3]


async def test_malformed_and_unknown_messages_are_parked_once_and_passed_over(server, js):
    projection = Recorded()
    consumer = DurableConsumer(server.url, "test", projection)
    await consumer.align()
    await js.publish("peerwork.registry.peer_worker.registered.v1", b"{not json", stream=streams.EVENTS.name)
    await js.publish("peerwork.registry.peer_worker.hatched.v1", b"{}", stream=streams.EVENTS.name)
    await publish(js, 2)
    async with in_background(consumer):
        await applied(projection, 2)
    async with in_background(DurableConsumer(server.url, "test", Recorded())):  # replays from 0
        await asyncio.sleep(0.5)

    info = await js.stream_info(streams.DEAD_LETTERS.name)
    assert info.state.messages == 2
    parked = await js.get_last_msg(streams.DEAD_LETTERS.name, subjects.dead_letter_subject("test"))
    assert parked.headers["Peerwork-Original-Subject"] == "peerwork.registry.peer_worker.hatched.v1"
    assert parked.headers["Peerwork-Original-Sequence"] == "2"
    assert "hatched" in parked.headers["Peerwork-Error"]
    assert projection.position == 4


async def test_a_value_of_a_newer_contracts_version_is_parked_not_counted(server, js, statistics_location):
    """A newer minor version may add a sector: counted under a name this reporting does not
    know, it would make the figures wrong; parked, it is counted once upgraded and replayed.
    A field it does not know only is left aside."""
    store = StatisticsStore(statistics_location("s"))
    consumer = DurableConsumer(server.url, "reporting", store)
    await consumer.align()
    for position, (sector, added) in enumerate([("culture", {}), ("sport", {}), ("culture", {"opened_in": 2004})], 1):
        event = PartnerStructureRegistered.build(
            occurred_at=date(2022, 1, 1), recorded_at=datetime(2024, 1, 1, tzinfo=timezone.utc),
            position=position, aggregate_id=uuid.uuid4(), aggregate_version=1,
            payload={"name": "Relais", "siret": None, "departement": "38", "sector": "culture"},
        )
        message = json.loads(event.model_dump_json())
        message["payload"].update(sector=sector, **added)
        await js.publish(event.subject(), json.dumps(message).encode(), stream=streams.EVENTS.name)

    async def applied() -> bool:
        return store.last_sequence() == 3

    async with in_background(consumer):
        await eventually_async(applied)
    figures = Statistics(store, threshold=10).national(date(2023, 1, 1), exact=True)
    assert figures.partner_structures == 2
    parked = await js.get_last_msg(streams.DEAD_LETTERS.name, subjects.dead_letter_subject("reporting"))
    assert parked.headers["Peerwork-Original-Sequence"] == "2"
    assert "payload.sector: 'sport' is not among the Sector values" in parked.headers["Peerwork-Error"]
    store.close()


async def test_waits_out_a_nats_outage(tmp_path):
    server = NatsServer(tmp_path / "outage", free_port()).start()
    projection = Recorded()
    consumer = DurableConsumer(server.url, "test", projection, max_backoff=0.5)
    try:
        await consumer.align()
        async with in_background(consumer):
            connection = await nats.connect(server.url)
            await publish(connection.jetstream(), 5)
            await connection.close()
            await applied(projection, 5)
            server.kill()
            await asyncio.sleep(1)
            server.start()
            connection = await nats.connect(server.url)
            await publish(connection.jetstream(), 5, first=6)
            await connection.close()
            await applied(projection, 10)
        assert [event.position for event in projection.events] == list(range(1, 11))
    finally:
        server.stop()


async def test_keeps_consuming_after_idling_longer_than_a_fetch_waits(server, js, caplog):
    projection = Recorded()
    consumer = DurableConsumer(server.url, "test", projection, idle_wait=0.2)
    await consumer.align()
    async with in_background(consumer):
        await asyncio.sleep(1.5)  # several fetches come back with nothing
        await publish(js, 3)
        await applied(projection, 3)
    assert not [r for r in caplog.records if r.name == "peerwork_common.messaging.consumer" and r.levelno >= logging.WARNING]


async def test_a_backlog_comes_in_whole_batches_and_a_live_message_at_once(server, js):
    await DurableConsumer(server.url, "test", Recorded()).align()  # declares the consumer
    await publish(js, 25)
    connection = await nats.connect(server.url)
    pull = BatchPull(connection, streams.EVENTS.name, "test", batch=10, idle_wait=5)
    await pull.start()
    try:
        assert [len(await pull.next()) for _ in range(3)] == [10, 10, 5]
        asyncio.get_running_loop().call_later(0.3, asyncio.ensure_future, publish(js, 1, first=26))
        started = asyncio.get_running_loop().time()
        live = await pull.next()  # the request waiting for it hands it out as it arrives
        assert len(live) == 1 and asyncio.get_running_loop().time() - started < 2
    finally:
        await pull.stop()
        await connection.close()


async def test_a_pull_from_a_deleted_consumer_fails(server, js):
    await DurableConsumer(server.url, "test", Recorded()).align()
    connection = await nats.connect(server.url)
    pull = BatchPull(connection, streams.EVENTS.name, "test", batch=10, idle_wait=5)
    await pull.start()
    try:
        await js.delete_consumer(streams.EVENTS.name, "test")
        with pytest.raises(nats.errors.Error):
            await pull.next()
    finally:
        await pull.stop()
        await connection.close()
