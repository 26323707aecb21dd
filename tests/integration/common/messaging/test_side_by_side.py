"""A subject version published beside a newer one, on a real nats-server: the relay puts
each event on the stream in both versions, once each, a crash between them included, and the
platform's consumers read the newest only (``tests.side_by_side`` declares the pair)."""

import asyncio
import json
import re
from dataclasses import replace
from datetime import date

import nats
import pytest

from peerwork_common.messaging import nats as platform_nats
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.projections import APPLIED
from peerwork_common.messaging.relay import Relay
from peerwork_common.workers.background import in_background
from peerwork_contracts import catalogue, streams
from peerwork_registry.application import Registry
from tests.helpers import CONSENT, Recorded, eventually_async, stream_messages
from tests.integration.common.messaging.test_asyncapi import DOCUMENT, declared
from tests.side_by_side import V1, V2, PeerWorkerRegisteredV2, to_contract_v2, v1_published_beside_v2  # noqa: F401

pytestmark = pytest.mark.usefixtures("v1_published_beside_v2")


@pytest.fixture
def registry(tmp_path):
    app = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "r.sqlite")})
    yield app
    app.close()


def register(registry: Registry, count: int) -> None:
    for i in range(count):
        registry.register_peer_worker(f"Person {i}", "38", ["addiction"], date(2022, 1, 1), legal_basis=CONSENT)


def on_the_stream(messages) -> list[tuple[str, int, str, str | None]]:  # noqa: ANN001
    """(subject, position, Nats-Msg-Id, Peerwork-Copy-Of) of each message."""
    return [
        (m.subject, int(m.headers[streams.POSITION_HEADER]), m.headers[streams.MSG_ID_HEADER],
         m.headers.get(streams.COPY_OF_HEADER))
        for m in messages
    ]


def both_versions(messages) -> list[tuple[str, int, str, str | None]]:  # noqa: ANN001
    """What the stream must hold for these events' newest messages: each, after its copy."""
    expected = []
    for newest in messages:
        event_id, position = newest.headers[streams.MSG_ID_HEADER], int(newest.headers[streams.POSITION_HEADER])
        expected += [(V1, position, f"{event_id}:{V1}", V2), (V2, position, event_id, None)]
    return expected


async def test_each_event_is_published_in_both_versions_older_first(server, registry):
    register(registry, 2)
    assert await Relay(registry, to_contract_v2, server.url).publish_pending() == 2
    assert await Relay(registry, to_contract_v2, server.url).publish_pending() == 0  # resumes after both

    messages = await stream_messages(server.url)
    assert on_the_stream(messages) == both_versions(await stream_messages(server.url, V2))
    assert [(m.subject, int(m.headers[streams.POSITION_HEADER])) for m in messages] == [(V1, 1), (V2, 1), (V1, 3), (V2, 3)]
    every, required = declared(f"{V1}:Message")  # every event's headers, as the AsyncAPI document says
    msg_id = DOCUMENT["components"]["messages"][f"{V1}:Message"]["headers"]["properties"][streams.MSG_ID_HEADER]
    for message in messages[:2]:
        assert required <= set(message.headers) <= every
        assert re.fullmatch(msg_id["pattern"], message.headers[streams.MSG_ID_HEADER])
    copy, newest = (json.loads(m.data) for m in messages[:2])
    assert copy["payload"] == {"departement": "38", "domains": ["addiction"]}
    assert newest["payload"] == {"departement_code": "38", "domains": ["addiction"]}
    assert {key: value for key, value in copy.items() if key not in ("payload", "schema_version")} == {
        key: value for key, value in newest.items() if key not in ("payload", "schema_version")
    }


class CrashingBetweenTheCopies(Relay):
    """Dies after putting the copy of the event at ``position`` on the stream, before its newest."""

    def __init__(self, *args, position: int, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._crash_at = position

    async def _publish(self, message, trace_context) -> None:  # noqa: ANN001
        if message.position == self._crash_at and message.subject == V2:
            raise ConnectionResetError("the relay's process died between the copies")
        await super()._publish(message, trace_context)


@pytest.mark.parametrize("dedupe_window", [120.0, 0.5], ids=["within the dedupe window", "after it"])
async def test_a_crash_between_the_copies_loses_nothing_and_publishes_each_copy_once(
    server, registry, monkeypatch, dedupe_window
):
    # One message at a time, as on a stream that takes no atomic batches: in a batch, an
    # event's copies and newest are stored together or not at all.
    monkeypatch.setattr(
        platform_nats, "EVENTS", replace(streams.EVENTS, duplicate_window_seconds=dedupe_window, atomic_publish=False)
    )
    register(registry, 3)
    crashing = CrashingBetweenTheCopies(registry, to_contract_v2, server.url, position=3)
    with pytest.raises(ConnectionResetError):
        await crashing.publish_pending()
    await crashing.close()
    assert [m.subject for m in await stream_messages(server.url)] == [V1, V2, V1]
    await asyncio.sleep(dedupe_window + 0.5 if dedupe_window < 1 else 0)

    relay = Relay(registry, to_contract_v2, server.url)
    assert await relay.publish_pending() == 2  # the newest of the one cut short, and the next
    await relay.close()
    messages = await stream_messages(server.url)
    assert on_the_stream(messages) == both_versions(await stream_messages(server.url, V2))
    assert [int(m.headers[streams.POSITION_HEADER]) for m in messages] == [1, 1, 3, 3, 5, 5]


async def test_the_platforms_consumers_read_the_newest_version_only(server, registry):
    register(registry, 3)
    await Relay(registry, to_contract_v2, server.url).publish_pending()
    every_event, on_v1 = Recorded(), Recorded()
    # One of the whole stream; one whose filter names the older version, which gets the newer.
    # A message a batch: in one batch, the newest would replace its copy (by event id) anyway.
    consumers = [
        DurableConsumer(server.url, "every", every_event, batch_size=1),
        DurableConsumer(server.url, "v1", on_v1, filter_subject=V1, batch_size=1),
    ]
    async with in_background(consumers[0]), in_background(consumers[1]):
        async def caught_up() -> bool:
            return every_event.position == 6 and on_v1.position == 6

        await eventually_async(caught_up)
    for projection in (every_event, on_v1):
        assert [(type(event), event.position) for event in projection.events] == [
            (PeerWorkerRegisteredV2, 1), (PeerWorkerRegisteredV2, 3), (PeerWorkerRegisteredV2, 5)
        ]
    connection = await nats.connect(server.url)
    try:  # acknowledged and skipped, not parked
        assert (await connection.jetstream().stream_info(streams.DEAD_LETTERS.name)).state.messages == 0
    finally:
        await connection.close()


async def test_a_consumer_of_an_older_release_parks_the_newest_and_applies_it_once_upgraded(server, registry, monkeypatch):
    """Its contracts do not know v2 yet: the copy is skipped all the same, and the newest parked
    (published by the relay, with the stream's expectations of the events stream)."""
    register(registry, 2)
    await Relay(registry, to_contract_v2, server.url).publish_pending()
    monkeypatch.delitem(catalogue.BY_SUBJECT, V2)
    projection = Recorded()
    consumer = DurableConsumer(server.url, "older", projection)
    async with in_background(consumer):
        async def caught_up() -> bool:
            return projection.position == 4

        await eventually_async(caught_up)
        assert projection.events == []
        monkeypatch.setitem(catalogue.BY_SUBJECT, V2, PeerWorkerRegisteredV2)  # upgraded
        assert await consumer.replay([1, 2]) == {1: APPLIED, 2: APPLIED}
    assert [(type(event), event.position) for event in projection.events] == [
        (PeerWorkerRegisteredV2, 1), (PeerWorkerRegisteredV2, 3)
    ]
