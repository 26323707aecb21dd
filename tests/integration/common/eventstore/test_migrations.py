"""The tables the services own are made and changed by versioned migrations
(``peerwork_common.eventstore.schema_migrations``): from an empty database, from one the last release
before migrations made (``tests/fixtures/make_write_tables_v1.py``), and a migration added
later reaching a database already in use."""

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.registry_records import RegistryRecords
from peerwork_common.eventstore.datastores import datastore_of, table
from peerwork_common.eventstore.schema_migrations import RECORD, migrate
from peerwork_common.security.audit_log import AuditLog
from peerwork_registry.application import Registry
from tests.helpers import ServedApp, bearer, registry_app
from tests.integration.registry_events import peer_worker_registered, structure_registered

FIXTURE = Path(__file__).parents[3] / "fixtures" / "write_tables_v1.sqlite"
KEY = "registered-before-migrations"  # as the fixture's script used it
# The fixture's answer to KEY was stored when it was made (2026-12-03): kept this long, it
# is still there to replay whenever the test runs (24 h, the default, made it fail a day later).
KEPT_HOURS = 24 * 365 * 100
ANNE = {"legal_basis": {"basis": "explicit_consent", "consent_given_on": "2014-12-01",
                        "consent_given_how": "signed_form"},
        "display_name": "Anne", "departement": "38", "domains": ["addiction"], "registered_on": "2022-01-03"}


def test_an_empty_database_is_migrated_once(store_env):
    first = Registry(env=store_env)
    assert first.migrated == ["common_0001_baseline", "registry_0001_lists"]
    first.close()
    again = Registry(env=store_env)
    try:
        assert again.migrated == []
        assert migrate(datastore_of(again)) == []
        assert AuditLog.of(again).entries() == []
    finally:
        again.close()


def test_a_service_applies_its_own_folder_after_commons(store_env):
    first = Accompaniments(env=store_env)
    first.close()
    assert first.migrated == [
        "common_0001_baseline", "accompaniment_0001_registry_records", "accompaniment_0002_lists",
        "accompaniment_0003_registry_withdrawals",
    ]
    again = Accompaniments(env=store_env)
    try:
        assert again.migrated == []
        assert RegistryRecords.of(again).last_sequence() == 0
    finally:
        again.close()


def test_the_withdrawals_reach_a_database_in_use_and_the_registry_events_are_read_again(store_env):
    structure, peer_worker = uuid.uuid4(), uuid.uuid4()
    application = Accompaniments(env=store_env)
    records = RegistryRecords.of(application)
    records.apply([structure_registered(structure, "38", 7), peer_worker_registered(peer_worker, "69", 9)], 12)
    datastore = datastore_of(application)
    with datastore.transaction(commit=True) as cursor:  # as the release before the withdrawals left it
        cursor.execute(f"DROP TABLE {table(datastore, 'registry_withdrawals')}")
        cursor.execute(
            f"DELETE FROM {table(datastore, RECORD)} WHERE migration_id = 'accompaniment_0003_registry_withdrawals'"
        )
    application.close()
    upgraded = Accompaniments(env=store_env)
    try:
        assert upgraded.migrated == ["accompaniment_0003_registry_withdrawals"]
        records = RegistryRecords.of(upgraded)
        assert records.last_sequence() == 0  # the consumer reads the registry's events from the start
        assert records.get(structure).departement == "38" and records.get(peer_worker).departement == "69"
        assert records.get(peer_worker).withdrawn_on is None
    finally:
        upgraded.close()


def test_the_previous_release_database_keeps_its_data_and_serves(tmp_path):
    path = tmp_path / "registry.sqlite"
    shutil.copy(FIXTURE, path)
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    try:
        assert registry.migrated == ["common_0001_baseline", "registry_0001_lists"]
        (anne,) = {entry.record_id for entry in AuditLog.of(registry).entries()}  # the read before
        with ServedApp(registry_app(registry, idempotency_ttl_hours=KEPT_HOURS)) as server, httpx.Client(
            base_url=server.url, headers=bearer("staff")
        ) as api:
            again = api.post("/peer-workers", json=ANNE, headers={"Idempotency-Key": KEY})
            assert again.status_code == 201, again.text
            assert again.headers["Idempotency-Replayed"] == "true" and again.json()["id"] == str(anne)
            record = api.get(f"/peer-workers/{anne}")
            assert record.json()["display_name"] == "Anne"  # the key kept, the name unsealed
        assert len(AuditLog.of(registry).entries(record_id=anne)) == 2
    finally:
        registry.close()
    assert Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}).migrated == []


def test_a_migration_added_later_reaches_a_database_in_use(store_env, tmp_path):
    registry = Registry(env=store_env)
    try:
        AuditLog.of(registry).record_read(uuid.uuid4(), "x")
        (tmp_path / "test_0001_note.sql").write_text("ALTER TABLE audit_reads ADD COLUMN note TEXT;\n")
        datastore = datastore_of(registry)
        assert migrate(datastore, tmp_path) == ["test_0001_note"]
        assert migrate(datastore, tmp_path) == []
        with datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT record_kind, note FROM {table(datastore, 'audit_reads')}")
            assert [(row["record_kind"], row["note"]) for row in cursor.fetchall()] == [("x", None)]
    finally:
        registry.close()


def test_the_migrate_command_applies_them_and_then_finds_nothing_to_do(tmp_path):
    env = {"REGISTRY_SQLITE_PATH": str(tmp_path / "registry.sqlite"), "PATH": "/usr/bin:/bin"}
    for expected in ("applied common_0001_baseline, registry_0001_lists", "up to date"):
        done = subprocess.run([sys.executable, "-m", "peerwork_registry", "migrate"], env=env, check=False,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert expected in done.stdout

