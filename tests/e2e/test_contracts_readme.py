"""Every code example of contracts/README.md runs, so that it cannot rot: the subscribers
against a real nats-server fed by a real registry, first with a version of the contracts
that does not know ``peer_worker.erased`` (which they must park), then upgraded (when they
must apply it)."""

import asyncio
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import httpx
import pytest

from peerwork_contracts import catalogue, streams
from peerwork_contracts.registry import PeerWorkerErased, PeerWorkerRegistered
from tests.e2e.services import STAFF, Service
from tests.helpers import CONSENT_BODY, bearer, eventually, reset_streams
from tests.integration.common.messaging.test_nats_permissions import PASSWORDS, connected, declared, server  # noqa: F401 (fixtures)
from tests.side_by_side import V2, PeerWorkerRegisteredV2, as_v2

README = Path(__file__).parents[2] / "contracts" / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```$", README.read_text(), flags=re.S | re.M)
STORE = next(block for block in BLOCKS if "def open_store" in block)
SUBSCRIBERS = {"nats-py": "import nats\n", "faststream": "from faststream"}
# Run as a subscriber from an older contracts version: the erasure is an event it does not know.
BEFORE_THE_ERASURE = (
    "import runpy, sys\nfrom peerwork_contracts import catalogue\n"
    f"del catalogue.BY_SUBJECT[{PeerWorkerErased.subject()!r}]\n"
    "runpy.run_path(sys.argv[1], run_name='__main__')\n"
)


def subscriber(kind: str) -> str:
    (block,) = [block for block in BLOCKS if SUBSCRIBERS[kind] in block]
    return STORE + "\n" + block


def test_every_example_is_run_here():
    standalone = [block for block in BLOCKS if block is not STORE and not any(m in block for m in SUBSCRIBERS.values())]
    assert len(BLOCKS) == 1 + len(SUBSCRIBERS) + len(standalone)


@pytest.mark.parametrize("block", [b for b in BLOCKS if "asyncio.run" not in b and "def open_store" not in b])
def test_a_standalone_example_runs(block):
    exec(compile(block, str(README), "exec"), {})


@pytest.fixture(scope="module")
def history(nats_server, tmp_path_factory):
    """On the stream: two peer workers registered, the second erased."""
    reset_streams(nats_server.url)
    registry = Service("registry", nats_server.url, tmp_path_factory.mktemp("readme")).start()
    try:
        with httpx.Client(base_url=registry.url, headers=STAFF) as client:
            kept, erased = (
                client.post("/peer-workers", json={"legal_basis": CONSENT_BODY, "display_name": name, "departement": "38", "domains": ["addiction"]}).json()["id"]
                for name in ("Kept", "Erased")
            )
        assert httpx.delete(f"{registry.url}/peer-workers/{erased}", headers=bearer("admin")).status_code in (202, 204)
        yield nats_server.url, kept, erased
    finally:
        registry.stop()


def peer_workers(database: Path) -> dict[str, str]:
    if not database.exists():
        return {}
    with sqlite3.connect(database) as db:
        try:
            return dict(db.execute("SELECT id, departement FROM peer_workers"))
        except sqlite3.OperationalError:  # not created yet
            return {}


def parked(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [subject for (subject,) in db.execute("SELECT subject FROM parked")]


def running(program: Path, nats_url: str, database: Path, *prefix: str) -> subprocess.Popen:
    env = {**os.environ, "NATS_URL": nats_url, "DURABLE": f"readme-{program.stem}", "DATABASE": str(database)}
    return subprocess.Popen([sys.executable, *prefix, str(program)], env=env, stderr=subprocess.PIPE)


def until(process: subprocess.Popen, check, survives: float = 0) -> None:  # noqa: ANN001
    """Waits for ``check``, then for the process to live ``survives`` seconds more; stops it."""
    try:
        eventually(lambda: process.poll() is not None or check(), timeout=30)
        assert process.poll() is None, process.stderr.read().decode()
        idle_since = time.monotonic()
        eventually(lambda: process.poll() is not None or time.monotonic() > idle_since + survives, timeout=30)
        assert process.poll() is None, process.stderr.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("kind", sorted(SUBSCRIBERS))
def test_a_subscriber_parks_what_it_does_not_know_and_applies_it_after_upgrading(kind, history, tmp_path):
    nats_url, kept, erased = history
    program, database = tmp_path / f"subscriber_{kind}.py", tmp_path / "downstream.sqlite"  # not faststream.py: the package
    program.write_text(subscriber(kind))

    older = running(program, nats_url, database, "-c", BEFORE_THE_ERASURE)
    until(older, lambda: parked(database) if peer_workers(database).keys() == {kept, erased} else False)
    assert parked(database) == [PeerWorkerErased.subject()]

    upgraded = running(program, nats_url, database)
    # Restarted with nothing pending, it lives through a fetch that times out (the examples wait 5 s).
    until(upgraded, lambda: peer_workers(database) == {kept: "38"} and not parked(database), survives=6)


@pytest.mark.parametrize("kind", sorted(SUBSCRIBERS))
async def test_a_subscriber_reads_as_the_production_downstream_user(kind, declared, tmp_path):
    """With the production users (deploy/nats/auth.conf), as an organisation outside peerwork."""
    event = registered_by_the_registry()
    async with connected(declared, "registry") as (connection, _):
        await connection.jetstream().publish(
            event.subject(), event.model_dump_json().encode(), stream=streams.EVENTS.name,
            headers={streams.POSITION_HEADER: str(event.position)},  # as the relay publishes it
        )
    program, database = tmp_path / f"subscriber_{kind}.py", tmp_path / "downstream.sqlite"
    program.write_text(subscriber(kind))
    env = {**os.environ, "NATS_URL": declared, "NATS_USER": "downstream", "NATS_PASSWORD": PASSWORDS["downstream"],
           "DATABASE": str(database)}  # DURABLE: the default, "downstream", the one this user may use
    process = subprocess.Popen([sys.executable, str(program)], env=env, stderr=subprocess.PIPE)
    await asyncio.to_thread(until, process, lambda: peer_workers(database) == {str(event.aggregate_id): "38"})


def registered_by_the_registry() -> PeerWorkerRegistered:
    return PeerWorkerRegistered.build(
        source="registry", occurred_at=date(2022, 1, 1), recorded_at=datetime(2024, 1, 1, tzinfo=timezone.utc),
        position=1, aggregate_id=uuid.uuid4(), aggregate_version=1, payload={"departement": "38", "domains": ["addiction"]},
    )


@pytest.mark.parametrize("reads_v2", [True, False], ids=["reads v2", "an older release"])
def test_the_example_reads_one_version_of_an_event_published_side_by_side(reads_v2, tmp_path, monkeypatch):
    """The copy in v1 (``Peerwork-Copy-Of``), then v2, at the same position (``tests.side_by_side``)."""
    if reads_v2:
        monkeypatch.setitem(catalogue.BY_SUBJECT, V2, PeerWorkerRegisteredV2)
    monkeypatch.setenv("DATABASE", str(tmp_path / "downstream.sqlite"))
    example: dict = {}
    exec(compile(STORE, str(README), "exec"), example)
    db = example["open_store"]()
    copy = registered_by_the_registry()
    newest = as_v2(copy)
    position = {streams.POSITION_HEADER: str(copy.position)}
    for sequence, (event, headers) in enumerate([(copy, {**position, streams.COPY_OF_HEADER: V2}), (newest, position)], 1):
        for _ in range(2):  # each delivered twice
            example["receive"](db, event.subject(), event.model_dump_json().encode(), headers, sequence)
    assert db.execute("SELECT * FROM positions").fetchall() == [("registry", copy.position)]
    assert db.execute("SELECT * FROM parked").fetchall() == []
    # The example's ``apply`` knows v1 only: a subscriber reading v2 applies it its own way.
    assert dict(db.execute("SELECT * FROM peer_workers")) == ({} if reads_v2 else {str(copy.aggregate_id): "38"})
