"""The accompaniment's view of the registry's records (the département of each peer worker
and structure), fed by the registry's events through a real nats-server, on SQLite and
PostgreSQL: it follows moves and erasures, and an event delivered again changes nothing.
Then both services as they are deployed, with a staff token confined to Isère."""

import uuid

import httpx
import nats

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_accompaniment.registry_records import PEER_WORKER, STRUCTURE, RegistryRecord, RegistryRecords
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.workers.background import in_background
from peerwork_contracts import registry, streams, subjects
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from tests.helpers import CONSENT_BODY, ServedApp, bearer, eventually, eventually_async
from tests.integration.registry_events import (
    peer_worker_erased,
    peer_worker_moved,
    peer_worker_registered,
    registry_event,
    structure_corrected,
    structure_registered,
)

REGISTRY_EVENTS = subjects.service_events("registry")


async def publish(js, *events) -> None:  # noqa: ANN001, ANN002
    for event in events:
        await js.publish(event.subject(), event.model_dump_json().encode(), stream=streams.EVENTS.name)


async def applied_up_to(records: RegistryRecords, sequence: int) -> None:
    async def done() -> bool:
        return records.last_sequence() == sequence

    await eventually_async(done)


async def test_the_records_follow_the_registry_events_once_each(server, application):
    records = RegistryRecords.of(application)
    structure, moved, erased = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events = [
        structure_registered(structure, "38", 1),
        peer_worker_registered(moved, "75", 2),
        peer_worker_moved(moved, ("75", "38"), 3),
        peer_worker_registered(erased, "69", 4),
        peer_worker_erased(erased, 5),
    ]
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    await DurableConsumer(server.url, "records", records, filter_subject=REGISTRY_EVENTS).align()
    # The accompaniment's own events are not for this consumer.
    await js.publish("peerwork.accompaniment.anything.v1", b"{}", stream=streams.EVENTS.name)
    await publish(js, *events)

    async with in_background(DurableConsumer(server.url, "records", records, filter_subject=REGISTRY_EVENTS)):
        await applied_up_to(records, 6)
        await publish(js, events[1])  # published again, after the move
        await applied_up_to(records, 7)

    assert records.get(structure) == RegistryRecord(STRUCTURE, "38")
    # The registration published again did not undo the move.
    assert records.get(moved) == RegistryRecord(PEER_WORKER, "38")
    assert records.get(erased) == RegistryRecord(PEER_WORKER, None) and records.get(erased).erased
    assert records.get(uuid.uuid4()) is None
    # Kept in the service's database: a new view of it (as after a restart) holds the same.
    again = RegistryRecords.of(application)
    assert (again.last_sequence(), again.get(moved)) == (7, RegistryRecord(PEER_WORKER, "38"))
    await connection.close()


async def test_a_structure_corrected_to_another_departement_is_known_there(server, application):
    records = RegistryRecords.of(application)
    structure = uuid.uuid4()
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    await DurableConsumer(server.url, "records", records, filter_subject=REGISTRY_EVENTS).align()
    await publish(js, structure_registered(structure, "38", 1), structure_corrected(structure, "69", 2))
    async with in_background(DurableConsumer(server.url, "records", records, filter_subject=REGISTRY_EVENTS)):
        await applied_up_to(records, 2)
    assert records.get(structure) == RegistryRecord(STRUCTURE, "69")
    await connection.close()


def test_a_hiring_in_isere_of_a_peer_worker_in_paris_is_refused_and_never_reaches_the_registry(server, tmp_path):
    national, isere = bearer("staff", subject="national"), bearer("staff", subject="isère", departements=["38"])
    registry = registry_app(RegistrySettings(sqlite_path=tmp_path / "r.sqlite", nats_url=server.url))
    accompaniment = accompaniment_app(AccompanimentSettings(sqlite_path=tmp_path / "a.sqlite", nats_url=server.url))
    with (
        ServedApp(registry) as served_registry, ServedApp(accompaniment) as served_accompaniment,
        httpx.Client(base_url=served_registry.url) as registry_api,
        httpx.Client(base_url=served_accompaniment.url) as accompaniment_api,
    ):
        structure = registry_api.post("/structures", headers=national, json={
            "name": "Relais", "departement": "38", "sector": "addiction",
        }).json()["id"]
        paris, grenoble = (
            registry_api.post("/peer-workers", headers=national, json={
                "legal_basis": CONSENT_BODY,
                "display_name": "Anne", "departement": departement, "domains": ["addiction"],
                "registered_on": "2022-01-03",
            }).json()["id"]
            for departement in ("75", "38")
        )
        opened: list[httpx.Response] = []

        def opened_once_the_registry_events_came() -> bool:  # 409 until then: retry shortly
            opened[:] = [accompaniment_api.post("/accompaniments", headers=isere, json={
                "structure_id": structure, "departement": "38", "channel": "structure",
                "request": "une demande", "requested_on": "2022-01-03",
            })]
            assert opened[0].status_code in (201, 409), opened[0].text
            return opened[0].status_code == 201

        eventually(opened_once_the_registry_events_came)
        milestones = f"/accompaniments/{opened[0].json()['id']}/milestones"
        hiring = {"milestone": "peer_worker_hired", "occurred_on": "2022-02-01"}
        eventually(lambda: accompaniment_api.post(
            milestones, headers=isere, json={**hiring, "peer_worker_id": grenoble}
        ).status_code == 201)
        refused = accompaniment_api.post(milestones, headers=isere, json={**hiring, "peer_worker_id": paris})
        assert refused.status_code == 403, refused.text

        def employments(peer_worker: str) -> list:
            return registry_api.get(f"/peer-workers/{peer_worker}/employments", headers=national).json()

        eventually(lambda: len(employments(grenoble)) == 1)
        assert employments(paris) == []


def test_a_corrected_registration_moves_the_record_unless_the_peer_worker_moved_since(application):
    records = RegistryRecords.of(application)
    corrected, moved_since = uuid.uuid4(), uuid.uuid4()

    def correction(peer_worker_id: uuid.UUID, now_in: str, position: int):  # noqa: ANN202
        return registry_event(
            registry.PeerWorkerRegistrationCorrected, peer_worker_id, position,
            departement="38", registered_on="2022-01-03", domains=["addiction"], now_in=now_in,
        )

    records.apply([
        peer_worker_registered(corrected, "75", 1),
        correction(corrected, "38", 2),
        peer_worker_registered(moved_since, "75", 3),
        peer_worker_moved(moved_since, ("75", "69"), 4),
        correction(moved_since, "69", 5),
    ], last_sequence=5)
    assert records.get(corrected) == RegistryRecord(PEER_WORKER, "38")
    assert records.get(moved_since) == RegistryRecord(PEER_WORKER, "69")
