"""An erasure on SQLite leaves no byte of the person's key or name in the database's files,
or says it has not yet: with another connection reading an older snapshot, the write-ahead
log cannot be emptied, so the DELETE answers 202; once the reader lets go, the registry
clears the log by itself, with no further request."""

import sqlite3
from datetime import date
from pathlib import Path
from uuid import UUID

import httpx

from peerwork_registry.application import Registry
from peerwork_registry.bootstrap import bootstrap
from peerwork_registry.config import Settings
from tests.helpers import CONSENT, CONSENT_BODY, ServedApp, bearer, eventually

ADMIN = bearer("admin", subject="dpo")
STAFF = bearer("staff")
NAME = "Held Marker-5f2e Durand"


def database_bytes(data: Path) -> bytes:
    """Every file the registry's SQLite database is made of (the file, its log, its index)."""
    files = sorted(data.glob("registry.sqlite*"))
    assert files
    return b"".join(path.read_bytes() for path in files)


def test_an_erasure_a_reader_holds_up_answers_202_and_completes_by_itself(tmp_path):
    database = tmp_path / "registry.sqlite"
    settings = Settings(sqlite_path=database, relay_enabled=False, hirings_enabled=False)
    with ServedApp(bootstrap(settings)) as served, httpx.Client(base_url=served.url, headers=STAFF) as staff:
        registered = staff.post("/peer-workers", json={"legal_basis": CONSENT_BODY, "display_name": NAME, "departement": "38", "domains": ["addiction"]})
        peer_worker = registered.json()["id"]
        # An answer kept for retries, which shows the name in plain text.
        moved = staff.post(f"/peer-workers/{peer_worker}/move", json={"departement": "69"}, headers={"Idempotency-Key": "m1"})
        assert moved.json()["display_name"] == NAME
        eventually(lambda: NAME.encode() in database_bytes(tmp_path))  # kept once the answer is sent
        with sqlite3.connect(database) as connection:
            [key] = connection.execute("SELECT key FROM personal_data_keys WHERE owner_id = ?", (peer_worker,)).fetchone()

        reader = sqlite3.connect(database, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM personal_data_keys").fetchone()  # holds its snapshot
        try:
            # Time enough to see the defect fixed: the registry used to wait 10 s for the
            # reader, then answer 204 with the key still in the log.
            erased = httpx.delete(f"{served.url}/peer-workers/{peer_worker}", headers=ADMIN, timeout=30)
            assert erased.status_code == 202, erased.text
            assert "cleared as soon as it lets go" in erased.json()["detail"]
            assert key in database_bytes(tmp_path)  # what the reader holds up
            assert staff.get(f"/peer-workers/{peer_worker}").status_code == 410  # erased all the same
            assert httpx.delete(f"{served.url}/peer-workers/{peer_worker}", headers=ADMIN).status_code == 202
            assert "peerwork_erasures_pending 1.0" in httpx.get(f"{served.url}/metrics").text
        finally:
            reader.rollback()
            reader.close()

        eventually(lambda: key not in (stored := database_bytes(tmp_path)) and NAME.encode() not in stored)
        assert httpx.delete(f"{served.url}/peer-workers/{peer_worker}", headers=ADMIN).status_code == 204
        assert "peerwork_erasures_pending 0.0" in httpx.get(f"{served.url}/metrics").text


def test_with_no_reader_in_the_way_an_erasure_is_complete_at_once(tmp_path):
    database = tmp_path / "registry.sqlite"
    settings = Settings(sqlite_path=database, relay_enabled=False, hirings_enabled=False)
    with ServedApp(bootstrap(settings)) as served, httpx.Client(base_url=served.url, headers=STAFF) as staff:
        peer_worker = staff.post(
            "/peer-workers", json={"legal_basis": CONSENT_BODY, "display_name": NAME, "departement": "38", "domains": ["addiction"]}
        ).json()["id"]
        with sqlite3.connect(database) as connection:
            [key] = connection.execute("SELECT key FROM personal_data_keys WHERE owner_id = ?", (peer_worker,)).fetchone()
        assert key in database_bytes(tmp_path)

        assert httpx.delete(f"{served.url}/peer-workers/{peer_worker}", headers=ADMIN).status_code == 204
        assert key not in database_bytes(tmp_path)


def test_a_pending_erasure_outlives_the_process_and_is_completed_by_the_next(tmp_path):
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "registry.sqlite")}
    first = Registry(env=env)
    peer_worker = first.register_peer_worker(NAME, "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    key = first.personal_data_keys.key(peer_worker)
    reader = sqlite3.connect(tmp_path / "registry.sqlite", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM personal_data_keys").fetchone()
    try:
        assert first.erase_peer_worker(peer_worker, date(2023, 1, 2)) is False
        first.close()  # stopped, say, before its background task could finish
        following = Registry(env=env)
        assert following.erasures.pending() == [UUID(str(peer_worker))]
        assert key in database_bytes(tmp_path)
    finally:
        reader.rollback()
        reader.close()
    assert following.erasures.purge() is True  # what its background task does first
    assert following.erasures.pending() == []
    assert key not in database_bytes(tmp_path)
    following.close()
