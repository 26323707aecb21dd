"""Dead letters against a real nats-server: a consumer parks what it cannot read, the
operator command lists it with the reason, and once the consumer is upgraded (or the
record a hiring named reinstated) a replay applies it, once, although its source's position
went past it; on SQLite and PostgreSQL."""

import asyncio
import json
import subprocess
import sys
import uuid
from datetime import date

import pytest

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.registry_records import RegistryRecords
from peerwork_common.messaging import dead_letters
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.projections import APPLIED, UNCHANGED
from peerwork_common.workers.background import in_background
from peerwork_contracts import catalogue, streams, subjects
from peerwork_contracts.envelope import Event
from peerwork_contracts.registry import PeerWorkerRegistered
from peerwork_registry.application import Registry
from peerwork_registry.hirings import SUBJECTS, Hirings
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT, eventually_async
from tests.integration.registry.test_hirings import hired
from tests.integration.registry_events import peer_worker_erased, peer_worker_registered, structure_registered


def registered(position: int) -> Event:
    return peer_worker_registered(uuid.uuid4(), "38", position)


def structure(position: int) -> Event:
    return structure_registered(uuid.uuid4(), "38", position)


async def publish(js, *events) -> None:  # noqa: ANN001
    for event in events:
        await js.publish(event.subject(), event.model_dump_json().encode(), stream=streams.EVENTS.name)


async def parked_by(server, consumer: str, count: int) -> list[dead_letters.Parked]:  # noqa: ANN001
    async def there() -> bool:
        return len(await dead_letters.parked(server.url, consumer)) >= count

    await eventually_async(there)
    return await dead_letters.parked(server.url, consumer)


def peer_workers_counted(store: StatisticsStore) -> int:
    def count(cursor, as_of: str):  # noqa: ANN001, ANN202
        return cursor.execute("SELECT COUNT(DISTINCT peer_worker_id) FROM peer_worker_spells").fetchall()

    ((counted,),) = store.read(count, date(2024, 1, 1))
    return counted


def older_contracts(monkeypatch, event) -> None:  # noqa: ANN001
    """As a consumer running a version of the contracts that does not know ``event``."""
    monkeypatch.delitem(catalogue.BY_SUBJECT, event.subject())


async def test_an_unknown_event_parked_by_reporting_is_applied_once_replayed_after_the_upgrade(
    server, js, statistics_location, monkeypatch
):
    store = StatisticsStore(statistics_location("s"))
    consumer = DurableConsumer(server.url, "reporting", store)
    await consumer.align()
    older_contracts(monkeypatch, PeerWorkerRegistered)
    # The registration is parked; the structure after it moves the registry's position past it.
    await publish(js, registered(1), structure(2))
    async with in_background(consumer):
        (parked,) = await parked_by(server, "reporting", 1)
        assert parked.subject == PeerWorkerRegistered.subject() and parked.original_sequence == 1
        assert "no public event is published on" in parked.reason
        listed = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "peerwork_reporting", "dead-letters", "list"],
            env={"REPORTING_NATS_URL": server.url, "PATH": ""}, capture_output=True, text=True, timeout=60,
        )
        assert listed.returncode == 0, listed.stderr
        assert listed.stdout.startswith(f"{parked.sequence}\treporting\t{PeerWorkerRegistered.subject()}")
        assert peer_workers_counted(store) == 0

        monkeypatch.undo()  # upgraded: it reads the registration now
        assert await dead_letters.replay(server.url, "reporting", [parked.sequence]) == {parked.sequence: APPLIED}
        assert peer_workers_counted(store) == 1
        assert await dead_letters.replay(server.url, "reporting", [parked.sequence]) == {parked.sequence: UNCHANGED}
        assert peer_workers_counted(store) == 1
        refused = await dead_letters.replay(server.url, "reporting", [99])
        assert refused[99].startswith("refused: no message 99")
    with pytest.raises(dead_letters.NotRunning, match="replaying needs the service running"):
        await dead_letters.replay(server.url, "reporting", [parked.sequence], timeout=1)
    store.close()


async def test_a_value_of_a_newer_version_parked_is_refused_when_replayed_before_the_upgrade(
    server, js, statistics_location
):
    store = StatisticsStore(statistics_location("s"))
    consumer = DurableConsumer(server.url, "reporting", store)
    await consumer.align()
    newer = json.loads(registered(1).model_dump_json())
    newer["payload"]["domains"] = ["addiction", "sport"]  # a domain a newer version added
    await js.publish(PeerWorkerRegistered.subject(), json.dumps(newer).encode(), stream=streams.EVENTS.name)
    async with in_background(consumer):
        (parked,) = await parked_by(server, "reporting", 1)
        assert "'sport' is not among the InterventionDomain values" in parked.reason
        (outcome,) = (await dead_letters.replay(server.url, "reporting", [parked.sequence])).values()
        assert outcome.startswith("refused: still unreadable: payload.domains[1]: 'sport'")
        assert peer_workers_counted(store) == 0
    store.close()


async def test_hirings_parked_by_the_registry_are_recorded_once_replayed_after_the_fix(server, js, store_env, monkeypatch):
    registry = Registry(env=store_env)
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    withdrawn = registry.register_peer_worker("Anne", "38", ["mental_health"], date(2021, 1, 1), legal_basis=CONSENT)
    registry.withdraw_peer_worker(withdrawn, date(2022, 6, 1))
    newcomer = uuid.uuid4()
    consumer = DurableConsumer(server.url, "registry-hirings", Hirings(registry), filter_subject=SUBJECTS)
    await consumer.align()
    older_contracts(monkeypatch, hired(1, structure_id, newcomer, new=True))
    await publish(js, hired(1, structure_id, newcomer, new=True))
    async with in_background(consumer):
        (unreadable,) = await parked_by(server, "registry-hirings", 1)
        monkeypatch.undo()  # upgraded; then a hiring of a peer worker withdrawn (by mistake)
        await publish(js, hired(2, structure_id, withdrawn, new=False))
        refused = (await parked_by(server, "registry-hirings", 2))[1]
        assert "withdrawn" in refused.reason
        replayed = [unreadable.sequence, refused.sequence]
        outcomes = await dead_letters.replay(server.url, "registry-hirings", replayed)
        assert outcomes[unreadable.sequence] == APPLIED
        assert outcomes[refused.sequence].startswith("refused: hiring")  # the cause is not fixed yet

        registry.reinstate_peer_worker(withdrawn, "withdrawn by mistake")
        assert await dead_letters.replay(server.url, "registry-hirings", replayed) == {
            unreadable.sequence: UNCHANGED, refused.sequence: APPLIED,
        }
        assert await dead_letters.replay(server.url, "registry-hirings", replayed) == dict.fromkeys(replayed, UNCHANGED)
        for peer_worker in (newcomer, withdrawn):
            assert len(registry.get_peer_worker(peer_worker).employments) == 1
    registry.close()


async def test_an_erasure_the_accompaniment_could_not_read_erases_once_replayed(server, js, store_env, monkeypatch):
    accompaniments = Accompaniments(env=store_env)
    records = RegistryRecords.of(accompaniments)
    consumer = DurableConsumer(server.url, "accompaniment-registry", records, filter_subject=subjects.service_events("registry"))
    await consumer.align()
    person = registered(1)
    erased = peer_worker_erased(person.aggregate_id, 2)
    older_contracts(monkeypatch, erased)
    await publish(js, person, erased, registered(3))
    async with in_background(consumer):
        (parked,) = await parked_by(server, "accompaniment-registry", 1)

        async def past_it() -> bool:  # the registration after it applied
            return records.last_sequence() == 3

        await eventually_async(past_it)
        assert not records.get(person.aggregate_id).erased
        monkeypatch.undo()
        assert await dead_letters.replay(server.url, "accompaniment-registry", [parked.sequence]) == {parked.sequence: APPLIED}
        assert records.get(person.aggregate_id).erased
        assert await dead_letters.replay(server.url, "accompaniment-registry", [parked.sequence]) == {parked.sequence: UNCHANGED}
    accompaniments.close()


async def test_the_live_statistics_consumer_replays_what_the_rebuild_parked_in_the_store_it_took_over(
    server, js, statistics_location, monkeypatch
):
    store = StatisticsStore(statistics_location("s"))  # the rebuild's, switched to
    rebuild = DurableConsumer(server.url, "reporting-rebuild", store)
    await rebuild.align()
    older_contracts(monkeypatch, PeerWorkerRegistered)
    await publish(js, registered(1), structure(2))
    async with in_background(rebuild):
        (parked,) = await parked_by(server, "reporting-rebuild", 1)
    monkeypatch.undo()
    live = DurableConsumer(server.url, "reporting", store, replays_for=["reporting-rebuild"])
    elsewhere = DurableConsumer(server.url, "registry-hirings", store)
    async with in_background(live), in_background(elsewhere):
        async def attached() -> bool:  # and so taking replay requests
            return live.attached and elsewhere.attached

        await eventually_async(attached)
        assert await dead_letters.replay(server.url, "reporting", [parked.sequence]) == {parked.sequence: APPLIED}
        outcome = await dead_letters.replay(server.url, "registry-hirings", [parked.sequence])
        assert outcome[parked.sequence].startswith("refused: message 1 is on peerwork.deadletter.reporting-rebuild")
    assert peer_workers_counted(store) == 1
    store.close()
