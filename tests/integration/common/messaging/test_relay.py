"""The relay against a real nats-server: exactly once, in order, across restarts and outages."""

import asyncio
import json
from datetime import date
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import TopicError, get_topic

from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_common.messaging.publication import contract_event
from peerwork_common.messaging.relay import Relay
from peerwork_common.workers.background import in_background
from peerwork_contracts import registry as contract
from peerwork_contracts import streams
from peerwork_contracts.evolution import OffContractError
from peerwork_registry.application import Registry
from peerwork_registry.domain.legal_basis import Basis, ConsentGiven, LegalBasis
from peerwork_registry.domain.peer_worker import PeerWorker
from peerwork_registry.publication import PUBLISHED, to_contract
from tests.helpers import CONSENT, eventually_async, stream_messages, woken_relay

# The fixtures ``nats`` and ``registry``: conftest.py.

REGISTERED, LEGAL_BASIS = get_topic(PeerWorker.Registered), get_topic(PeerWorker.LegalBasisRecorded)


def register(registry: Registry, count: int) -> list:
    return [
        registry.register_peer_worker(f"Person {i}", "38", ["addiction"], date(2022, 1, 1), legal_basis=CONSENT)
        for i in range(count)
    ]


def registrations(count: int) -> list[int]:
    """The positions of ``count`` registrations: each one's legal basis, stored after it,
    stays in the registry (a gap in the positions)."""
    return list(range(1, 2 * count, 2))


def positions(messages) -> list[int]:  # noqa: ANN001
    return [int(m.headers[streams.POSITION_HEADER]) for m in messages]


async def test_publishes_contract_events_once_and_in_order_across_restarts(nats, registry):
    register(registry, 5)
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 5
    register(registry, 3)
    # A new relay (as after a crash) resumes from what the stream holds.
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 3
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 0

    messages = await stream_messages(nats.url)
    assert positions(messages) == registrations(8)
    body = json.loads(messages[0].data)
    assert body["event_type"] == "peer_worker.registered"
    assert body["payload"] == {"departement": "38", "domains": ["addiction"]}
    assert "Person" not in messages[0].data.decode()
    assert messages[0].headers[streams.MSG_ID_HEADER] == body["event_id"]


async def test_a_legal_basis_and_a_consent_withdrawn_stay_in_the_registry(nats, registry):
    anne = registry.register_peer_worker("Anne", "38", ["addiction"], date(2022, 1, 1), legal_basis=CONSENT)
    renewed = LegalBasis(Basis.EXPLICIT_CONSENT, date(2022, 1, 3), ConsentGiven.ELECTRONIC_FORM)
    registry.record_legal_basis(anne, renewed)
    registry.withdraw_consent(anne, date(2023, 5, 2))
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 2

    messages = await stream_messages(nats.url)
    # Registered, the two bases, Withdrawn (out of the census), ConsentWithdrawn: the census's facts only.
    assert [(json.loads(m.data)["event_type"], p) for m, p in zip(messages, positions(messages))] == [
        ("peer_worker.registered", 1), ("peer_worker.withdrawn", 4),
    ]
    for message in messages:
        for word in ("consent", "basis", "signed_form", "electronic_form"):
            assert word not in message.data.decode(), (word, message.data)


async def test_an_event_off_its_contract_is_not_published_and_holds_the_relay_up(nats, registry):
    register(registry, 3)

    def mistyped(domain_event, position):  # noqa: ANN001, ANN202 - a mapping with a typo
        if position < 5:  # the first two registrations
            return to_contract(domain_event, position)
        payload = contract.PeerWorkerRegisteredPayload(
            departement=domain_event.departement, domains=domain_event.domains, domians=["other"]
        )
        return contract_event(contract.PeerWorkerRegistered, domain_event, position, domain_event.effective_on, payload)

    with pytest.raises(OffContractError, match="payload.domians: not a field"):
        await Relay(registry, mistyped, nats.url).publish_pending()
    assert positions(await stream_messages(nats.url)) == registrations(2)
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 1  # once fixed


async def test_the_legal_bases_are_left_out_of_the_reads_and_the_relay_passes_them(nats, store_env):
    registry = Registry(env=store_env)
    register(registry, 3)  # the log ends with a legal basis
    read, topics_read = registry.recorder.select_notifications_except, []

    def reading(start, limit, topics):  # noqa: ANN001, ANN202
        notifications, went_over = read(start, limit, topics)
        topics_read.append([n.topic for n in notifications])
        return notifications, went_over

    registry.recorder.select_notifications_except = reading
    relay = Relay(registry, to_contract, nats.url, batch_size=2, published=PUBLISHED)
    assert await relay.publish_pending() == 3
    assert positions(await stream_messages(nats.url)) == registrations(3)
    # Read 2 at a time: the first legal basis met, the others are not read.
    assert topics_read == [[REGISTERED, LEGAL_BASIS], [REGISTERED, REGISTERED], []]
    assert relay.position == registry.recorder.max_notification_id() == 6  # no lag for the metrics
    await relay.close()
    registry.close()


async def test_an_event_of_a_topic_unknown_stops_the_relay_though_others_are_left_out(nats, store_env):
    """As a newer replica's event would: not skipped, whatever the relay leaves out of its reads."""
    registry = Registry(env=store_env)
    register(registry, 2)  # 1 to 4
    newer = StoredEvent(uuid4(), 1, "peerwork_registry.domain.peer_worker:PeerWorker.Promoted", b"{}")
    registry.recorder.insert_events([newer])  # 5
    register(registry, 1)  # 6, 7
    relay = Relay(registry, to_contract, nats.url, batch_size=2, published=PUBLISHED)
    with pytest.raises(TopicError, match="Promoted"):
        await relay.publish_pending()
    assert positions(await stream_messages(nats.url)) == registrations(2)
    assert relay.position == 3
    await relay.close()
    registry.close()


async def test_a_structure_corrected_is_published_with_its_record_dated_as_registered_without_the_reason(nats, registry):
    structure_id = registry.register_structure("Le Relais", None, "38", "culture", date(2020, 3, 2))
    registry.correct_structure(structure_id, "typed by Anne in the wrong field", {"departement": "69"})
    # The structure and its correction; the claim of its name publishes nothing.
    assert await Relay(registry, to_contract, nats.url).publish_pending() == 2
    corrected = (await stream_messages(nats.url, "peerwork.registry.partner_structure.corrected.v1"))[0]
    body = json.loads(corrected.data)
    assert (body["occurred_at"], body["aggregate_id"]) == ("2020-03-02", str(structure_id))
    assert body["payload"] == {
        "name": "Le Relais", "siret": None, "departement": "69", "sector": "culture", "corrected": ["departement"]
    }
    assert "Anne" not in corrected.data.decode()


async def test_two_relays_racing_never_duplicate(nats, registry):
    register(registry, 40)
    first, second = Relay(registry, to_contract, nats.url), Relay(registry, to_contract, nats.url)
    tasks = [asyncio.create_task(first.run()), asyncio.create_task(second.run())]
    try:
        await eventually_async(lambda: _count(nats.url, 40))
        await asyncio.sleep(0.5)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await first.close()
        await second.close()
    assert positions(await stream_messages(nats.url)) == registrations(40)


async def test_waits_out_a_nats_outage_without_losing_events(nats, registry):
    async with in_background(woken_relay(registry, to_contract, nats.url)):
        register(registry, 3)
        await eventually_async(lambda: _count(nats.url, 3))
        nats.stop()
        register(registry, 4)  # saved while NATS is down
        await asyncio.sleep(1.0)
        nats.start()
        register(registry, 2)
        await eventually_async(lambda: _count(nats.url, 9), timeout=30)
    assert positions(await stream_messages(nats.url)) == registrations(9)


async def test_starts_while_nats_is_down(tmp_path, registry):
    server = NatsServer(tmp_path / "late", free_port())
    register(registry, 2)
    async with in_background(woken_relay(registry, to_contract, server.url)):
        await asyncio.sleep(0.5)
        server.start()
        try:
            await eventually_async(lambda: _count(server.url, 2), timeout=30)
        finally:
            server.stop()


async def _count(url: str, expected: int) -> bool:
    try:
        return len(await stream_messages(url)) == expected
    except Exception:  # noqa: BLE001 - the stream may not exist yet
        return False


async def test_refuses_a_store_behind_what_the_stream_holds(nats, registry, tmp_path):
    register(registry, 3)
    await Relay(registry, to_contract, nats.url).publish_pending()
    wiped = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "new.sqlite")})
    register(wiped, 1)
    relay = Relay(wiped, to_contract, nats.url)
    with pytest.raises(RuntimeError, match="not the store those events came from"):
        await relay.publish_pending()
    await relay.close()
    wiped.close()
    assert positions(await stream_messages(nats.url)) == registrations(3)
