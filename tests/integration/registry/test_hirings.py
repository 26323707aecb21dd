"""Hirings published by the accompaniment service become employments in the registry, and
hirings it retracts are cancelled, once each, through a real nats-server, on SQLite and
PostgreSQL."""

import asyncio
import json
import uuid
from datetime import date, datetime, timezone

import nats
import pytest

from peerwork_common.domain.errors import NotFoundError, RuleBrokenError
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.workers.background import in_background
from peerwork_contracts import streams, subjects
from peerwork_contracts.accompaniment import MilestoneRetracted, PeerWorkerHired
from peerwork_registry.application import Registry
from peerwork_registry.domain.peer_worker import PeerWorker
from peerwork_registry.hirings import SUBJECTS, Hirings
from tests.helpers import CONSENT, eventually_async


@pytest.fixture
def registry(store_env):
    registry = Registry(env=store_env)
    yield registry
    registry.close()


def hired(
    position: int,
    structure_id: uuid.UUID,
    peer_worker_id: uuid.UUID,
    *,
    new: bool,
    new_in: str = "38",
    territory: list[str] | None = None,
) -> PeerWorkerHired:
    return PeerWorkerHired.build(
        source="accompaniment",
        occurred_at=date(2023, 3, 1),
        recorded_at=datetime(2023, 3, 1, tzinfo=timezone.utc),
        position=position,
        aggregate_id=uuid.uuid4(),
        aggregate_version=position,
        payload={
            "structure_id": structure_id,
            "departement": "38",
            "hiring_id": uuid.uuid4(),
            "peer_worker_id": peer_worker_id,
            "new_peer_worker": {"departement": new_in, "domains": ["addiction"]} if new else None,
            "starts_on": date(2023, 3, 1),
            "territory": territory,
        },
    )


def retracted(position: int, hiring: PeerWorkerHired | None = None, milestone: str = "peer_worker_hired") -> MilestoneRetracted:
    """The retraction of ``hiring`` (or of another milestone) by its accompaniment."""
    return MilestoneRetracted.build(
        source="accompaniment",
        occurred_at=date(2023, 3, 1),
        recorded_at=datetime(2023, 4, 1, tzinfo=timezone.utc),
        position=position,
        aggregate_id=hiring.aggregate_id if hiring else uuid.uuid4(),
        aggregate_version=position,
        payload={
            "structure_id": hiring.payload.structure_id if hiring else uuid.uuid4(),
            "departement": "38",
            "milestone": milestone,
            "still_reached_on": None,
            "hiring_id": hiring and hiring.payload.hiring_id,
            "peer_worker_id": hiring and hiring.payload.peer_worker_id,
        },
    )


async def publish(js, *events: PeerWorkerHired | MilestoneRetracted) -> None:  # noqa: ANN001
    for event in events:
        await js.publish(event.subject(), event.model_dump_json().encode(), stream=streams.EVENTS.name)


async def test_a_hiring_registers_the_new_peer_worker_and_records_the_employment_once(server, registry):
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    known = registry.register_peer_worker("Anne", "38", ["mental_health"], date(2021, 1, 1), legal_basis=CONSENT)
    newcomer = uuid.uuid4()
    hirings = Hirings(registry)
    consumer = DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)
    await consumer.align()
    first, second = hired(1, structure_id, newcomer, new=True), hired(2, structure_id, known, new=False)
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    # Other events on the stream are not the registry's business; a hiring comes twice.
    await js.publish("peerwork.registry.anything.v1", b"{}", stream=streams.EVENTS.name)
    await publish(js, first, second, first)

    async with in_background(consumer):
        async def done() -> bool:
            return hirings.last_sequence() == 4

        await eventually_async(done)

    registered = registry.get_peer_worker(newcomer)
    assert (registered.display_name, registered.departement, registered.registered_on) == (None, "38", date(2023, 3, 1))
    assert list(registered.employments) == [first.payload.hiring_id]
    assert list(registry.get_peer_worker(known).employments) == [second.payload.hiring_id]

    # A new consumer on the same store (as after a restart) replays nothing.
    before = registry.recorder.max_notification_id()
    await publish(js, second)
    async with in_background(DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)):
        async def caught_up() -> bool:
            return hirings.last_sequence() == 5

        await eventually_async(caught_up)
    assert registry.recorder.max_notification_id() == before
    await connection.close()


async def test_a_hiring_the_registry_refuses_is_parked_with_the_reason(server, registry):
    unknown_structure = uuid.uuid4()
    hirings = Hirings(registry)
    consumer = DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)
    await consumer.align()
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    await publish(js, hired(1, unknown_structure, uuid.uuid4(), new=True))
    async with in_background(consumer):
        async def done() -> bool:
            return hirings.last_sequence() == 1

        await eventually_async(done)
    await asyncio.sleep(0.1)
    parked = await js.get_last_msg(streams.DEAD_LETTERS.name, subjects.dead_letter_subject("hirings"))
    assert f"no partner structure has the id {unknown_structure}" in parked.headers["Peerwork-Error"]
    assert registry.recorder.max_notification_id() is None
    await connection.close()


async def test_a_hiring_holding_a_value_of_a_newer_contracts_version_is_parked_then_the_next_recorded(server, registry):
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    newer, next_one = hired(1, structure_id, uuid.uuid4(), new=True), hired(2, structure_id, uuid.uuid4(), new=True)
    message = json.loads(newer.model_dump_json())
    message["payload"]["new_peer_worker"]["domains"] = ["sport"]  # a domain a newer version adds
    hirings = Hirings(registry)
    consumer = DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)
    await consumer.align()
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    await js.publish(newer.subject(), json.dumps(message).encode(), stream=streams.EVENTS.name)
    await publish(js, next_one)
    async with in_background(consumer):
        async def done() -> bool:
            return hirings.last_sequence() == 2

        await eventually_async(done)
    parked = await js.get_last_msg(streams.DEAD_LETTERS.name, subjects.dead_letter_subject("hirings"))
    assert "payload.new_peer_worker.domains[0]: 'sport' is not among the InterventionDomain values" in parked.headers["Peerwork-Error"]
    with pytest.raises(NotFoundError):
        registry.get_peer_worker(newer.payload.peer_worker_id)
    assert len(registry.get_peer_worker(next_one.payload.peer_worker_id).employments) == 1
    await connection.close()


async def test_a_hiring_outside_the_territory_it_was_checked_against_is_parked_with_the_reason(server, registry):
    isere = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    rhone = registry.register_structure("Oxygène", None, "69", "addiction", date(2020, 1, 1))
    paris = registry.register_peer_worker("Anne", "75", ["mental_health"], date(2021, 1, 1), legal_basis=CONSENT)
    grenoble = registry.register_peer_worker("Bea", "38", ["mental_health"], date(2021, 1, 1), legal_basis=CONSENT)
    newcomer = uuid.uuid4()
    hirings = Hirings(registry)
    consumer = DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)
    await consumer.align()
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    checked_in_isere = ["38"]
    await publish(
        js,
        hired(1, isere, paris, new=False, territory=checked_in_isere),
        hired(2, rhone, grenoble, new=False, territory=checked_in_isere),
        hired(3, isere, newcomer, new=True, new_in="69", territory=checked_in_isere),
        hired(4, isere, grenoble, new=False, territory=checked_in_isere),
        hired(5, isere, paris, new=False),  # national scope: nothing to check again
    )
    async with in_background(consumer):
        async def done() -> bool:
            return hirings.last_sequence() == 5

        await eventually_async(done)

        async def all_parked() -> bool:  # parked once the batch is applied
            return (await js.stream_info(streams.DEAD_LETTERS.name)).state.messages == 3

        await eventually_async(all_parked)
    parked = await js.pull_subscribe(subjects.dead_letter_subject("hirings"), stream=streams.DEAD_LETTERS.name)
    reasons = [message.headers["Peerwork-Error"] for message in await parked.fetch(3, timeout=5)]
    outside = "outside the territory the hiring was checked against (départements: 38)"
    assert [reason.split(": ", 1)[1] for reason in reasons] == [
        f"peer worker {paris} is in département 75, {outside}",
        f"partner structure {rhone} is in département 69, {outside}",
        f"peer worker {newcomer} is in département 69, {outside}",
    ]
    assert len(registry.get_peer_worker(paris).employments) == 1  # the national hiring
    assert len(registry.get_peer_worker(grenoble).employments) == 1
    with pytest.raises(NotFoundError):
        registry.get_peer_worker(newcomer)
    await connection.close()


async def test_a_hiring_that_names_a_merged_record_is_recorded_on_the_survivor(server, registry):
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    merged = registry.register_peer_worker("Anne", "38", ["mental_health"], date(2021, 1, 1), legal_basis=CONSENT)
    survivor = registry.register_peer_worker("Anne B.", "38", ["addiction"], date(2022, 1, 1), legal_basis=CONSENT)
    registry.merge_peer_workers(merged, survivor, "registered twice")
    hirings = Hirings(registry)
    consumer = DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)
    await consumer.align()
    connection = await nats.connect(server.url)
    hiring = hired(1, structure_id, merged, new=False)
    await publish(connection.jetstream(), hiring)
    async with in_background(consumer):
        async def done() -> bool:
            return hirings.last_sequence() == 1

        await eventually_async(done)
    assert list(registry.get_peer_worker(survivor).employments) == [hiring.payload.hiring_id]
    assert registry.load(PeerWorker, merged, "peer worker").employments == {}
    await connection.close()


async def test_a_hiring_retracted_cancels_its_employment_once_and_only_through_the_retraction(server, registry):
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    known = registry.register_peer_worker("Anne", "38", ["mental_health"], date(2021, 1, 1), legal_basis=CONSENT)
    newcomer = uuid.uuid4()
    hirings = Hirings(registry)
    # The consumer as the registry ran it before retractions were its business: one subject.
    await DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS[0]).align()
    hiring, other = hired(1, structure_id, known, new=False), hired(2, structure_id, newcomer, new=True)
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    await publish(js, hiring, other)
    consumer = DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)
    async with in_background(consumer):
        async def recorded() -> bool:
            return hirings.last_sequence() == 2

        await eventually_async(recorded)
        employment = registry.get_peer_worker(known).employments[hiring.payload.hiring_id]
        assert employment.accompaniment_id == hiring.aggregate_id
        # Staff cannot cancel it in the registry: the accompaniment would still say "hired".
        with pytest.raises(RuleBrokenError, match=f"retract that hiring there.*/accompaniments/{hiring.aggregate_id}/"):
            registry.cancel_employment(known, hiring.payload.hiring_id, "typed by mistake")

        # Retracted (and the retraction delivered twice), with another milestone's besides.
        await publish(js, retracted(3, milestone="team_awareness"), retracted(4, hiring), retracted(4, hiring), retracted(5, other))

        async def cancelled() -> bool:
            return hirings.last_sequence() == 6

        await eventually_async(cancelled)
    assert registry.get_peer_worker(known).employments == {}
    assert registry.get_peer_worker(newcomer).employments == {}
    # The peer worker the hiring registered stays registered (staff correct or withdraw them).
    assert registry.get_peer_worker(newcomer).withdrawn_on is None
    cancellations = [
        event for event, _ in registry.history(known) if isinstance(event, PeerWorker.EmploymentCancelled)
    ]
    assert [event.employment_id for event in cancellations] == [hiring.payload.hiring_id]
    assert (await js.stream_info(streams.DEAD_LETTERS.name)).state.messages == 0

    # Delivered anew to a fresh consumer (as after a restart), nothing changes.
    before = registry.recorder.max_notification_id()
    await publish(js, retracted(4, hiring))
    async with in_background(DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)):
        async def caught_up() -> bool:
            return hirings.last_sequence() == 7

        await eventually_async(caught_up)
    assert registry.recorder.max_notification_id() == before
    await connection.close()


async def test_the_retraction_of_a_hiring_never_recorded_is_parked_with_the_reason(server, registry):
    hirings = Hirings(registry)
    consumer = DurableConsumer(server.url, "hirings", hirings, filter_subject=SUBJECTS)
    await consumer.align()
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    known = registry.register_peer_worker("Anne", "38", ["mental_health"], date(2021, 1, 1), legal_basis=CONSENT)
    never = hired(1, structure_id, known, new=False)  # parked, say, or lost: never recorded here
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    await publish(js, retracted(2, never))
    async with in_background(consumer):
        async def parked() -> bool:
            return (await js.stream_info(streams.DEAD_LETTERS.name)).state.messages == 1

        await eventually_async(parked)
    message = await js.get_last_msg(streams.DEAD_LETTERS.name, subjects.dead_letter_subject("hirings"))
    assert message.headers["Peerwork-Error"] == (
        f"hiring {never.payload.hiring_id} not cancelled: the peer worker has no employment {never.payload.hiring_id}"
    )
    assert registry.processed_up_to("accompaniment") == 2
    await connection.close()
