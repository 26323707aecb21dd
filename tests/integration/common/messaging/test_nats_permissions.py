"""The production NATS users (deploy/nats/auth.conf) on a real nats-server: each service
publishes only its own subjects and reaches only its own consumers, the downstream user
only reads, and with those credentials the relays and consumers still do their work."""

import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from uuid import uuid4

import nats
import pytest
from nats.js.api import ConsumerConfig

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.domain.timeline import NewPeerWorker
from peerwork_accompaniment.publication import to_contract as accompaniment_contract
from peerwork_accompaniment.registry_records import RegistryRecords
from peerwork_common.devtools.nats_server import binary, free_port, wait_for_port
from peerwork_common.messaging import dead_letters
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.nats import ensure_streams, servers_and_credentials
from peerwork_common.messaging.projections import APPLIED
from peerwork_common.messaging.relay import Relay
from peerwork_common.settings import ServiceSettings
from peerwork_common.workers.background import in_background
from peerwork_contracts import streams, subjects
from peerwork_contracts.accompaniment import PeerWorkerHired
from peerwork_registry.application import Registry
from peerwork_registry.hirings import SUBJECTS, Hirings
from peerwork_registry.publication import to_contract as registry_contract
from tests.helpers import CONSENT, Recorded, eventually_async, stream_messages

AUTH = Path(__file__).parents[4] / "deploy" / "nats" / "auth.conf"
# Characters a URL must percent-encode, as generated passwords may hold.
PASSWORDS = {user: f"{user}/pw+{uuid4().hex}=" for user in ("registry", "accompaniment", "reporting", "downstream", "admin")}
REGISTERED = "peerwork.registry.peer_worker.registered.v1"
HIRED = PeerWorkerHired.subject()
STARTED = "peerwork.accompaniment.accompaniment.opened.v1"
DOWNSTREAM_INBOX = "_INBOX_downstream"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A nats-server with the production users; yields its address, without credentials."""
    port = free_port()
    config = tmp_path / "nats.conf"
    config.write_text(
        f"listen: 127.0.0.1:{port}\n"
        f'jetstream {{ store_dir: "{tmp_path / "data"}" }}\n'
        # nats-server reads an include from the including file's directory, even an absolute path.
        f'include "{os.path.relpath(AUTH, tmp_path)}"\n'
    )
    env = os.environ | {f"{user.upper()}_NATS_PASSWORD": password for user, password in PASSWORDS.items()}
    with open(tmp_path / "nats-server.log", "wb") as log:
        process = subprocess.Popen([binary(), "-c", str(config)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port("127.0.0.1", port, timeout=15, process=process)
        yield f"nats://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def url(server: str, user: str) -> str:
    """The address with ``user``'s credentials, as the services build it from their settings."""
    return ServiceSettings(nats_url=server, nats_user=user, nats_password=PASSWORDS[user]).nats_servers


@asynccontextmanager
async def connected(server: str, user: str) -> AsyncIterator[tuple[nats.NATS, list[str]]]:
    """A connection as ``user`` and the errors the server sent it."""
    servers, name, password = servers_and_credentials(url(server, user))
    errors: list[str] = []

    async def error_cb(error: Exception) -> None:
        errors.append(str(error).lower())  # servers differ in case

    connection = await nats.connect(
        servers, user=name, password=password, error_cb=error_cb, allow_reconnect=False,
        inbox_prefix=DOWNSTREAM_INBOX if user == "downstream" else "_INBOX",
    )
    try:
        yield connection, errors
    finally:
        await connection.close()


def violation(operation: str, subject: str) -> str:
    """The error the server sends a connection that went beyond its permissions."""
    return f'nats: permissions violation for {operation} to "{subject.lower()}"'


@pytest.fixture
async def declared(server: str) -> str:
    async with connected(server, "admin") as (connection, _):
        await ensure_streams(connection.jetstream())
    return server


async def stored(server: str, subject: str) -> list:
    """The events stream's messages on ``subject``, read as the operator."""
    return await stream_messages(url(server, "admin"), subject)


@pytest.mark.parametrize(("user", "subject"), [
    ("registry", STARTED),
    ("registry", "peerwork.deadletter.reporting"),
    ("accompaniment", REGISTERED),
    ("reporting", REGISTERED),
    ("reporting", "peerwork.deadletter.registry-hirings"),
    ("downstream", REGISTERED),
    ("downstream", "peerwork.deadletter.downstream"),
    ("admin", REGISTERED),
])
async def test_a_user_cannot_publish_on_subjects_it_does_not_own(declared, user, subject):
    async with connected(declared, user) as (connection, errors):
        with pytest.raises(nats.errors.TimeoutError):
            await connection.jetstream().publish(subject, b"{}", timeout=1)
    assert violation("publish", subject) in errors, errors
    stream = streams.DEAD_LETTERS if ".deadletter." in subject else streams.EVENTS
    async with connected(declared, "admin") as (connection, _):
        assert (await connection.jetstream().stream_info(stream.name)).state.messages == 0


@pytest.mark.parametrize(("user", "request_subject"), [
    ("registry", "$JS.API.CONSUMER.DELETE.PEERWORK_EVENTS.reporting"),
    ("reporting", "$JS.API.CONSUMER.MSG.NEXT.PEERWORK_EVENTS.registry-hirings"),
    ("accompaniment", "$JS.API.CONSUMER.DURABLE.CREATE.PEERWORK_EVENTS.accompaniment"),
    ("downstream", "$JS.API.CONSUMER.MSG.NEXT.PEERWORK_EVENTS.reporting"),
    ("downstream", "$JS.API.CONSUMER.CREATE.PEERWORK_EVENTS"),  # an ephemeral consumer
    ("downstream", "$JS.API.STREAM.UPDATE.PEERWORK_EVENTS"),
    ("admin", "$JS.API.STREAM.PURGE.PEERWORK_EVENTS"),
    ("admin", "$JS.API.STREAM.DELETE.PEERWORK_EVENTS"),
])
async def test_a_user_cannot_call_jetstream_on_what_is_not_its_own(declared, user, request_subject):
    async with connected(declared, user) as (connection, errors):
        with pytest.raises(nats.errors.TimeoutError):
            await connection.request(request_subject, b"{}", timeout=1)
    assert violation("publish", request_subject) in errors, errors


async def test_downstream_cannot_read_the_replies_the_services_get(declared):
    async with connected(declared, "downstream") as (connection, errors):
        await connection.subscribe("_INBOX.>")
        await connection.flush()

        async def refused() -> bool:
            return violation("subscription", "_INBOX.>") in errors

        await eventually_async(refused)


async def test_relays_consumers_and_downstream_work_with_their_own_credentials(server, tmp_path):
    # The write services' relays declare the streams, publish, and find their position again.
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "r.sqlite")})
    accompaniments = Accompaniments(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "a.sqlite")})
    registry_relay = Relay(registry, registry_contract, url(server, "registry"))
    accompaniment_relay = Relay(accompaniments, accompaniment_contract, url(server, "accompaniment"))
    try:
        for count in (2, 1):
            for i in range(count):
                registry.register_peer_worker(f"Person {i}", "38", ["addiction"], date(2022, 1, 1), legal_basis=CONSENT)
            assert await registry_relay.publish_pending() == count
        accompaniment = accompaniments.open_accompaniment(uuid4(), "38", "funder", "A request", date(2023, 1, 2))
        accompaniments.record_hiring(accompaniment, date(2023, 5, 2), new_peer_worker=NewPeerWorker("38", ("addiction",)))
        assert await accompaniment_relay.publish_pending() == 2
    finally:
        await registry_relay.close()
        await accompaniment_relay.close()
    assert len(await stored(server, REGISTERED)) == 3
    [hired] = await stored(server, HIRED)
    total = 5

    # The registry's consumer of hirings, the accompaniment's of the registry's records, and
    # reporting's two consumers, each with its dead letters.
    hirings = DurableConsumer(url(server, "registry"), "registry-hirings", Hirings(registry), filter_subject=SUBJECTS)
    records = RegistryRecords.of(accompaniments)
    registry_records = DurableConsumer(
        url(server, "accompaniment"), "accompaniment-registry", records, filter_subject=subjects.service_events("registry")
    )
    reporting, rebuilding = Recorded(refuse_first=True), Recorded(refuse_first=True)
    async with (
        in_background(hirings),
        in_background(registry_records),
        in_background(DurableConsumer(url(server, "reporting"), "reporting", reporting)),
        in_background(DurableConsumer(url(server, "reporting"), "reporting-rebuild", rebuilding)) as rebuild,
    ):
        async def all_applied() -> bool:
            positions = (reporting.position, rebuilding.position, Hirings(registry).last_sequence(), records.last_sequence())
            return positions == (total, total, hired.metadata.sequence.stream, 3)

        await eventually_async(all_applied)
        # What reporting parked is listed and replayed with its own credentials.
        (parked,) = await dead_letters.parked(url(server, "reporting"), "reporting")
        assert await dead_letters.replay(url(server, "reporting"), "reporting", [parked.sequence]) == {parked.sequence: APPLIED}
        await rebuild.delete()
    registry.close()
    accompaniments.close()
    assert len(reporting.events) == total + 1  # the replayed one, once more
    async with connected(server, "admin") as (connection, _):
        subscription = await connection.jetstream().pull_subscribe(">", stream=streams.DEAD_LETTERS.name)
        parked = await subscription.fetch(10, timeout=2)
    # And the hiring the registry refused (its structure is none of the registry's), parked with
    # its own credentials: the relay's Nats-Expected-* headers left behind (with them, refused).
    assert sorted(m.subject for m in parked) == [
        "peerwork.deadletter.registry-hirings", "peerwork.deadletter.reporting", "peerwork.deadletter.reporting-rebuild"
    ]

    # The downstream user reads every event through its own durable consumer.
    async with connected(server, "downstream") as (connection, errors):
        subscription = await connection.jetstream().pull_subscribe(
            "peerwork.>", durable="downstream", stream=streams.EVENTS.name, config=ConsumerConfig(ack_wait=30)
        )
        messages = await subscription.fetch(total, timeout=5)
        for message in messages:
            await message.ack()
        await connection.flush()
    assert [m.subject for m in messages] == [REGISTERED] * 3 + [STARTED, HIRED]
    assert errors == []
