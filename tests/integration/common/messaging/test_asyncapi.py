"""The AsyncAPI document against what really goes over a real nats-server, and as every
service serves it."""

import html
from datetime import date

import nats
import pytest
from fastapi.testclient import TestClient

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_common.messaging import asyncapi
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.relay import Relay
from peerwork_common.workers.background import in_background
from peerwork_contracts import catalogue, streams, subjects
from peerwork_registry.application import Registry
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_registry.publication import to_contract
from peerwork_reporting.bootstrap import bootstrap as reporting_app
from peerwork_reporting.config import Settings as ReportingSettings
from tests.helpers import CONSENT, Recorded, stream_messages

DOCUMENT = asyncapi.committed()


def declared(message_name: str) -> tuple[set[str], set[str]]:
    """(every header, the required ones) the document gives a message."""
    headers = DOCUMENT["components"]["messages"][message_name]["headers"]
    return set(headers["properties"]), set(headers["required"])


async def test_an_event_carries_exactly_the_headers_the_document_declares(server, tmp_path):
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "r.sqlite")})
    for index in range(20):
        registry.register_peer_worker(f"Person {index}", "38", ["addiction"], date(2022, 1, 1), legal_basis=CONSENT)
    await Relay(registry, to_contract, server.url).publish_pending()  # one atomic batch
    registry.close()
    first, middle, *_, last = await stream_messages(server.url)
    every, required = declared(f"{first.subject}:Message")
    batch = {"Nats-Batch-Id", "Nats-Batch-Sequence"}
    expected = {"Nats-Expected-Last-Subject-Sequence", "Nats-Expected-Last-Subject-Sequence-Subject"}
    # Not traced: no trace context. The first states the expected sequence for the batch.
    assert set(first.headers) == required | batch | expected
    assert set(middle.headers) == required | batch
    assert set(last.headers) == required | batch | {"Nats-Batch-Commit"}
    # test_tracing: a traced one has its trace context; test_side_by_side: a copy says so.
    assert every - required - batch - expected == {"traceparent", "tracestate", streams.COPY_OF_HEADER, "Nats-Batch-Commit"}


async def test_a_dead_letter_carries_the_headers_the_document_declares(server):
    consumer = DurableConsumer(server.url, "reporting", Recorded())
    await consumer.align()  # declares the streams
    connection = await nats.connect(server.url)
    js = connection.jetstream()
    await js.publish("peerwork.registry.peer_worker.hatched.v1", b"{}", stream=streams.EVENTS.name)
    parked = await js.pull_subscribe(subjects.dead_letter_subject("reporting"), stream=streams.DEAD_LETTERS.name)
    try:
        async with in_background(consumer):
            (message,) = await parked.fetch(1, timeout=10)
    finally:
        await connection.close()
    every, required = declared("Parked")
    assert required <= set(message.headers) <= every | {streams.POSITION_HEADER, "Nats-Expected-Stream"}


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    data = tmp_path_factory.mktemp("asyncapi")
    return {
        "registry": registry_app(RegistrySettings(sqlite_path=data / "r.sqlite", relay_enabled=False, hirings_enabled=False)),
        "accompaniment": accompaniment_app(AccompanimentSettings(sqlite_path=data / "a.sqlite", relay_enabled=False)),
        "reporting": reporting_app(ReportingSettings(store_path=data / "s.sqlite", consumer_enabled=False)),
    }


@pytest.mark.parametrize("service", ["registry", "accompaniment", "reporting"])
def test_every_service_serves_the_whole_document_and_a_page_of_it(apps, service):
    with TestClient(apps[service]) as client:
        assert client.get("/asyncapi.json").json() == DOCUMENT
        page = client.get("/asyncapi.html")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for subject in catalogue.BY_SUBJECT:
        assert f"<code>{html.escape(subject)}</code>" in page.text
    for consumer in asyncapi.CONSUMERS:
        assert f"<td>{consumer.durable}</td>" in page.text
    # Read offline: nothing is fetched from elsewhere.
    assert "<script" not in page.text and "src=" not in page.text and "http" not in page.text
