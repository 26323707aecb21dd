"""Erasure (GDPR art. 17) by crypto-shredding, end to end: registry and reporting as
processes, on SQLite files then on PostgreSQL. An admin erases a peer worker; their record
answers 410, the bus says so, reporting's views keep nothing about them while the anonymous
counts they were part of stay, and their name is found in none of the stores the services
write, nor is the key that sealed it."""

import asyncio
import sqlite3
from pathlib import Path

import httpx
import psycopg
from psycopg.rows import dict_row

from peerwork_common.lists.search import blind_index
from peerwork_contracts import calendar
from peerwork_contracts.registry import PeerWorkerErased, PeerWorkerWithdrawn
from peerwork_registry.config import DEVELOPMENT_NAME_INDEX_KEY
from tests.e2e.services import ANALYST, END_OF_YEAR, EXACT, STAFF, Service
from tests.helpers import CONSENT_BODY, bearer, eventually, stream_messages

ADMIN = bearer("admin", subject="e2e dpo")
NAME = "Erasable Marker-e1a5 Nguyen"
OTHER = "Kept Marker-77b0 Martin"


def figures(reporting: Service, as_of: str) -> dict:
    response = httpx.get(f"{reporting.url}/stats/national", params={"as_of": as_of, **EXACT}, headers=ANALYST)
    assert response.status_code == 200, response.text
    return response.json()


def register(client: httpx.Client, name: str, structure: str) -> str:
    worker = client.post("/peer-workers", json={
        "legal_basis": CONSENT_BODY,
        "display_name": name, "departement": "38", "domains": ["addiction"], "registered_on": "2022-03-01",
    })
    assert worker.status_code == 201, worker.text
    employed = client.post(f"/peer-workers/{worker.json()['id']}/employments", json={
        "structure_id": structure, "starts_on": "2022-04-01",
    })
    assert employed.status_code == 201, employed.text
    return worker.json()["id"]


def test_an_erased_peer_worker_reads_as_erased_everywhere_and_counts_stay(stack, nats_server, persistence, tmp_path):
    registry, reporting = stack
    with httpx.Client(base_url=registry.url, headers=STAFF) as staff:
        structure = staff.post("/structures", json={"name": "Relais", "departement": "38", "sector": "addiction"}).json()["id"]
        erased, kept = register(staff, NAME, structure), register(staff, OTHER, structure)
        assert staff.get(f"/peer-workers/{erased}").json()["display_name"] == NAME
        # An answer kept for retries, which shows the name.
        moved = staff.post(f"/peer-workers/{erased}/move", json={"departement": "69", "effective_on": "2022-05-02"},
                           headers={"Idempotency-Key": "move-1"})
        assert moved.status_code == 200 and moved.json()["display_name"] == NAME
        key = registry_key(persistence, tmp_path, erased)
        # The checks below can fail: the key is on disk, and the name (in the kept answer,
        # stored once the answer is sent).
        assert key is not None and key in registry_bytes(persistence, tmp_path)
        eventually(lambda: NAME.encode() in registry_bytes(persistence, tmp_path))
        eventually(lambda: figures(reporting, END_OF_YEAR)["employed_peer_workers"] == 2)
        # The lists find her by name, through the blind index of her name, on disk now.
        index = blind_index(DEVELOPMENT_NAME_INDEX_KEY.get_secret_value().encode(), NAME).encode()
        by_name = staff.get("/peer-workers", params={"display_name": NAME.upper()}).json()["items"]
        assert [item["id"] for item in by_name] == [erased]
        assert index in registry_bytes(persistence, tmp_path)
        end_of_2022 = figures(reporting, "2022-12-31")

        assert staff.delete(f"/peer-workers/{erased}").status_code == 403  # admins only
        response = httpx.delete(f"{registry.url}/peer-workers/{erased}", headers=ADMIN)
        assert response.status_code == 204, response.text

        # The API: the record is gone for reads and commands alike, and says why.
        read = staff.get(f"/peer-workers/{erased}")
        assert read.status_code == 410 and "erased" in read.json()["detail"], read.text
        assert staff.get(f"/peer-workers/{erased}/employments").status_code == 410
        moved = staff.post(f"/peer-workers/{erased}/move", json={"departement": "69", "effective_on": calendar.today().isoformat()})
        assert moved.status_code == 410, moved.text
        assert httpx.delete(f"{registry.url}/peer-workers/{erased}", headers=ADMIN).status_code == 204  # again: done
        assert staff.get(f"/peer-workers/{kept}").json()["display_name"] == OTHER
        assert staff.get("/peer-workers", params={"display_name": NAME}).json()["items"] == []
        assert [item["id"] for item in staff.get("/peer-workers").json()["items"]] == [kept]

    # The bus: the person left the census today, then was erased.
    async def published() -> list[str]:
        return [message.subject for message in await stream_messages(nats_server.url) if erased.encode() in message.data]

    eventually(lambda: PeerWorkerErased.subject() in asyncio.run(published()))
    assert asyncio.run(published())[-2:] == [PeerWorkerWithdrawn.subject(), PeerWorkerErased.subject()]

    # The counts: the past as it was; from today on, one peer worker fewer.
    eventually(lambda: figures(reporting, END_OF_YEAR)["peer_workers"] == 1)
    assert figures(reporting, "2022-12-31") == end_of_2022
    today = figures(reporting, calendar.today().isoformat())
    assert (today["peer_workers"], today["employed_peer_workers"]) == (1, 1)

    # Reporting's views: nothing about her, her counts kept in the census.
    eventually(lambda: reporting_rows_about(persistence, tmp_path, erased) == 0)
    assert reporting_rows_about(persistence, tmp_path, kept) > 0

    # The stores: neither the name nor its key left on disk or in a table.
    assert registry_key(persistence, tmp_path, erased) is None
    stores = registry_bytes(persistence, tmp_path) + reporting_bytes(persistence, tmp_path) + directory_bytes(nats_server.store_dir)
    assert NAME.encode() not in stores
    assert key not in stores
    assert index not in stores
    assert OTHER.encode() not in stores  # sealed too, although not erased


def registry_key(persistence: dict[str, str], data: Path, peer_worker_id: str) -> bytes | None:
    if not persistence:
        with sqlite3.connect(data / "registry.sqlite") as connection:
            row = connection.execute("SELECT key FROM personal_data_keys WHERE owner_id = ?", (peer_worker_id,)).fetchone()
        return row and row[0]
    with postgres(persistence, "REGISTRY") as connection:
        row = connection.execute(
            f"SELECT key FROM {schema(persistence, 'REGISTRY')}.personal_data_keys WHERE owner_id = %s", (peer_worker_id,)
        ).fetchone()
    return row and row["key"]


def reporting_rows_about(persistence: dict[str, str], data: Path, peer_worker_id: str) -> int:
    """Rows of reporting's views about that peer worker."""
    tables = ("peer_worker_spells", "peer_worker_domains", "employments")
    if not persistence:
        with sqlite3.connect(data / "reporting.sqlite") as connection:
            return sum(connection.execute(f"SELECT COUNT(*) FROM {table} WHERE peer_worker_id = ?",
                                          (peer_worker_id,)).fetchone()[0] for table in tables)
    with postgres(persistence, "REPORTING") as connection:
        return sum(connection.execute(
            f"SELECT COUNT(*) AS n FROM {schema(persistence, 'REPORTING')}.{table} WHERE peer_worker_id = %s",
            (peer_worker_id,),
        ).fetchone()["n"] for table in tables)


def registry_bytes(persistence: dict[str, str], data: Path) -> bytes:
    if not persistence:
        return files_bytes(data, "registry.sqlite*")
    return schema_bytes(persistence, "REGISTRY")


def reporting_bytes(persistence: dict[str, str], data: Path) -> bytes:
    if not persistence:
        return files_bytes(data, "reporting.sqlite*")
    return schema_bytes(persistence, "REPORTING")


def files_bytes(directory: Path, pattern: str) -> bytes:
    files = sorted(directory.glob(pattern))
    assert files, f"nothing matches {pattern} in {directory}"
    return b"".join(path.read_bytes() for path in files)


def directory_bytes(directory: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file())


def schema(persistence: dict[str, str], service: str) -> str:
    return persistence[f"{service}_POSTGRES_SCHEMA"]


def postgres(persistence: dict[str, str], service: str) -> psycopg.Connection:
    return psycopg.connect(
        host=persistence[f"{service}_POSTGRES_HOST"],
        port=persistence[f"{service}_POSTGRES_PORT"],
        user="postgres",
        dbname=persistence[f"{service}_POSTGRES_DBNAME"],
        row_factory=dict_row,
    )


def schema_bytes(persistence: dict[str, str], service: str) -> bytes:
    """Every value of every table of the service's schema, as bytes."""
    name = schema(persistence, service)
    with postgres(persistence, service) as connection:
        tables = [row["table_name"] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (name,)
        )]
        assert tables, f"no table in schema {name}"
        values = [
            value
            for table in tables
            for row in connection.execute(f'SELECT * FROM "{name}"."{table}"')
            for value in row.values()
        ]
    return b"\0".join(value if isinstance(value, bytes) else str(value).encode() for value in values)
