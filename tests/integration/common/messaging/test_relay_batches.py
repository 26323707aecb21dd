"""The relay's atomic batches on a real nats-server: stored whole or not at all, a retry
refused rather than stored twice, one message at a time where the stream takes no batches,
and a relay process killed with SIGKILL halfway through a batch loses and repeats nothing."""

import asyncio
import logging
import random
import subprocess
import sys
from dataclasses import replace

import pytest
from nats.aio.client import Client, ServerVersion
from nats.js.errors import APIError, NotFoundError

from peerwork_common.messaging import atomic_batches, dead_letters
from peerwork_common.messaging import nats as platform_nats
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.relay import Relay
from peerwork_common.workers.background import in_background
from peerwork_contracts import streams
from peerwork_registry.publication import to_contract
from tests.helpers import Recorded, eventually_async, stream_messages
from tests.integration.common.messaging.test_relay import positions, register, registrations

BATCH_HEADERS = {"Nats-Batch-Id", "Nats-Batch-Sequence"}


def batches(messages) -> list[tuple[str, int]]:  # noqa: ANN001
    """(batch id, messages in it), in stream order."""
    sizes: dict[str, int] = {}
    for message in messages:
        sizes[message.headers["Nats-Batch-Id"]] = sizes.get(message.headers["Nats-Batch-Id"], 0) + 1
    return list(sizes.items())


async def test_each_run_of_the_log_is_stored_as_one_atomic_batch(nats, registry):
    register(registry, 1100)  # 2,200 notifications, read 1,000 at a time: runs of 1,000 messages, the most
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 1100

    messages = await stream_messages(nats.url)
    assert positions(messages) == registrations(1100)
    assert [size for _, size in batches(messages)] == [1000, 100]
    last_of_each = [m for m in messages if m.headers.get("Nats-Batch-Commit") == "1"]
    assert positions(last_of_each) == [1999, 2199]
    # The expected sequence is stated once, by the first: the stream checks it for the whole.
    # The second batch's, made ready while the first was committed, is the first's acknowledged.
    expecting = [m for m in messages if "Nats-Expected-Last-Subject-Sequence" in m.headers]
    assert [m.metadata.sequence.stream for m in expecting] == [1, 1001]
    assert [m.headers["Nats-Expected-Last-Subject-Sequence"] for m in expecting] == ["0", "1000"]


async def test_a_batch_stored_already_is_refused_not_stored_twice(nats, registry):
    await Relay(registry, to_contract, nats.url).publish_pending()  # declares the streams
    connection = await platform_nats.connect(nats.url, name="test")
    subject = "peerwork.registry.peer_worker.registered.v1"
    batch = [
        atomic_batches.Message(subject, b"{}", {streams.MSG_ID_HEADER: f"event-{i}", streams.POSITION_HEADER: str(i)})
        for i in (1, 2, 3)
    ]
    try:
        assert (await atomic_batches.publish_atomically(connection, batch, timeout=5)).seq == 3
        # As a relay whose acknowledgement was lost would send it again.
        with pytest.raises(APIError) as refused:
            await atomic_batches.publish_atomically(connection, batch, timeout=5)
    finally:
        await connection.close()
    assert refused.value.err_code == atomic_batches.DUPLICATE_MESSAGE_ID
    assert positions(await stream_messages(nats.url)) == [1, 2, 3]


async def test_where_the_stream_takes_no_batches_the_relay_says_so_and_publishes_one_at_a_time(
    nats, registry, monkeypatch, caplog
):
    monkeypatch.setattr(platform_nats, "EVENTS", replace(streams.EVENTS, atomic_publish=False))
    register(registry, 20)
    with caplog.at_level(logging.WARNING, logger="peerwork_common.messaging.relay"):
        assert await Relay(registry, to_contract, nats.url).publish_pending() == 20
    assert "does not allow atomic batches: publishing one message at a time" in caplog.text
    assert "deploy/README.md" in caplog.text
    messages = await stream_messages(nats.url)
    assert positions(messages) == registrations(20)
    assert not [m for m in messages if BATCH_HEADERS & set(m.headers)]
    assert all("Nats-Expected-Last-Subject-Sequence" in m.headers for m in messages)

    # Once the stream allows them (the services' own settings, at their next start), batches.
    monkeypatch.undo()
    register(registry, 20)
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 20
    assert [size for _, size in batches((await stream_messages(nats.url))[20:])] == [20]


async def test_a_run_of_a_few_events_goes_out_one_message_at_a_time(nats, registry):
    register(registry, 11)  # a batch's commit costs ten times a message published alone
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 11
    messages = await stream_messages(nats.url)
    assert positions(messages) == registrations(11)
    assert not [m for m in messages if BATCH_HEADERS & set(m.headers)]
    assert all("Nats-Expected-Last-Subject-Sequence" in m.headers for m in messages)


async def test_on_a_server_older_than_2_12_the_relay_says_so_and_publishes_one_at_a_time(nats, registry, monkeypatch, caplog):
    # The server's answer to batch headers it does not know would be to store each message alone.
    monkeypatch.setattr(Client, "connected_server_version", property(lambda self: ServerVersion("2.11.11")))
    register(registry, 20)
    with caplog.at_level(logging.WARNING, logger="peerwork_common.messaging.relay"):
        assert await Relay(registry, to_contract, nats.url).publish_pending() == 20
    assert "nats-server 2.11.11 takes no atomic batches (2.12+): publishing one message at a time" in caplog.text
    messages = await stream_messages(nats.url)
    assert positions(messages) == registrations(20)
    assert not [m for m in messages if BATCH_HEADERS & set(m.headers)]


async def test_a_message_stored_in_a_batch_is_parked_whole_when_a_consumer_refuses_it(nats, registry):
    register(registry, 20)
    await Relay(registry, to_contract, nats.url).publish_pending()
    recorded = Recorded(refuse_first=True)
    async with in_background(DurableConsumer(nats.url, "reporting", recorded)):
        async def parked_and_caught_up() -> bool:
            return len(await dead_letters.parked(nats.url, "reporting")) == 1 and len(recorded.events) == 20

        # Published again with its batch's headers, it would be refused as a batch on a stream
        # that takes none (atomic publish is disabled), and lost.
        await eventually_async(parked_and_caught_up)
    (parked,) = await dead_letters.parked(nats.url, "reporting")
    assert (parked.original_sequence, parked.reason) == (1, "refused on purpose")


# A relay process that kills itself (SIGKILL) once the server has received ``kill_after``
# events (its commit and the next included: 1,100 is 100 into the second batch of 1,000).
KILLED_HALFWAY = """
import asyncio, os, signal, sys
from nats.aio.client import Client
from peerwork_common.messaging.relay import Relay
from peerwork_common.workers.background import in_background
from peerwork_registry.application import Registry
from peerwork_registry.publication import PUBLISHED, to_contract

store, url, kill_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
publish, sent = Client.publish, 0

async def publish_then_die(self, subject, payload=b"", reply="", headers=None):
    global sent
    await publish(self, subject, payload, reply, headers)
    if subject.startswith("peerwork."):
        sent += 1
        if sent == kill_after:
            await self.flush()  # the server holds the batch's first messages
            os.kill(os.getpid(), signal.SIGKILL)

if kill_after:
    Client.publish = publish_then_die
registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": store})
relay = Relay(registry, to_contract, url, published=PUBLISHED)  # as the service wires it: the legal bases not read
print("relayed", asyncio.run(relay.publish_pending()), flush=True)
"""


def relay_process(store, url: str, kill_after: int = 0) -> subprocess.Popen:  # noqa: ANN001
    return subprocess.Popen(
        [sys.executable, "-c", KILLED_HALFWAY, str(store), url, str(kill_after)],
        stdout=subprocess.PIPE, text=True,
    )


async def test_a_relay_killed_halfway_through_a_batch_leaves_none_of_it_and_its_successor_all(nats, registry, store):
    register(registry, 1150)  # runs of 1,000 and 150 messages, the second made ready as the first commits
    killed = relay_process(store, nats.url, kill_after=1000 + 100)  # the first batch, then 100 of the second
    assert await asyncio.to_thread(killed.wait, 60) == -9
    assert positions(await stream_messages(nats.url)) == registrations(1000)  # the second: none of it

    finishing = relay_process(store, nats.url)
    output, _ = await asyncio.to_thread(finishing.communicate, timeout=60)
    assert (finishing.returncode, output.split()) == (0, ["relayed", "150"])
    messages = await stream_messages(nats.url)
    assert positions(messages) == registrations(1150)
    assert [size for _, size in batches(messages)] == [1000, 150]


async def test_a_relay_killed_at_random_again_and_again_publishes_each_event_once_in_order(nats, registry, store):
    register(registry, 3000)  # 3 batches of 1,000
    chance, on_the_stream = random.Random(), 0
    for _ in range(6):
        relay = relay_process(store, nats.url)
        # Killed once it publishes (its start-up takes a while), a moment into a batch or later.
        await eventually_async(lambda: _grown_or_done(nats.url, on_the_stream, relay), timeout=60)
        await asyncio.sleep(chance.uniform(0, 0.05))
        relay.kill()
        relay.wait()
        on_the_stream = await _stored(nats.url)
    finishing = relay_process(store, nats.url)
    output, _ = await asyncio.to_thread(finishing.communicate, timeout=120)
    assert finishing.returncode == 0, output
    messages = await stream_messages(nats.url)
    assert positions(messages) == registrations(3000)
    assert len({m.headers[streams.MSG_ID_HEADER] for m in messages}) == 3000


async def _stored(url: str) -> int:
    connection = await platform_nats.connect(url, name="test")
    try:
        return (await connection.jetstream().stream_info(streams.EVENTS.name)).state.messages
    except NotFoundError:
        return 0
    finally:
        await connection.close()


async def _grown_or_done(url: str, before: int, relay: subprocess.Popen) -> bool:
    return relay.poll() is not None or await _stored(url) > before
