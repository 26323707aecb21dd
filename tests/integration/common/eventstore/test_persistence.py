"""The registry on real stores: SQLite files and PostgreSQL."""

import threading
from datetime import date
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from peerwork_common.domain.errors import NotFoundError, RuleBrokenError
from peerwork_registry.application import Registry
from tests.helpers import CONSENT, new_schema


def test_records_survive_a_restart(store_env):
    registry = Registry(env=store_env)
    structure_id = registry.register_structure("Le Relais", "73282932000074", "38", "shelter_housing", date(2020, 1, 1))
    peer_worker_id = registry.register_peer_worker("Anne", "38", ["addiction"], date(2021, 1, 1), legal_basis=CONSENT)
    employment_id = registry.record_employment(peer_worker_id, structure_id, date(2021, 2, 1), None)
    registry.move_peer_worker(peer_worker_id, "69", date(2022, 1, 1))
    registry.close()

    reopened = Registry(env=store_env)
    peer_worker = reopened.get_peer_worker(peer_worker_id)
    assert peer_worker.departement == "69"
    assert peer_worker.employments[employment_id].structure_id == structure_id
    assert reopened.get_structure(structure_id).siret == "73282932000074"
    notifications = reopened.recorder.select_notifications(1, 100)
    assert [n.id for n in notifications] == sorted(n.id for n in notifications)
    assert len(notifications) == 7  # structure, its SIRET and name claims, registration and its legal basis, employment, move
    reopened.close()


def test_a_siret_is_registered_once(store_env):
    registry = Registry(env=store_env)
    registry.register_structure("A", "73282932000074", "38", "culture", date(2020, 1, 1))
    before = registry.recorder.max_notification_id()
    with pytest.raises(RuleBrokenError, match="already registered"):
        registry.register_structure("B", "73282932000074", "69", "culture", date(2020, 1, 1))
    assert registry.recorder.max_notification_id() == before
    registry.close()


def test_a_refused_command_stores_nothing(store_env):
    registry = Registry(env=store_env)
    peer_worker_id = registry.register_peer_worker("Anne", "38", ["addiction"], date(2021, 1, 1), legal_basis=CONSENT)
    registry.withdraw_peer_worker(peer_worker_id, date(2021, 6, 1))
    before = registry.recorder.max_notification_id()
    with pytest.raises(RuleBrokenError):
        registry.move_peer_worker(peer_worker_id, "69", date(2021, 7, 1))
    with pytest.raises(NotFoundError):
        registry.record_employment(peer_worker_id, UUID(int=1), date(2021, 7, 1), None)
    assert registry.recorder.max_notification_id() == before
    registry.close()


def test_concurrent_commands_on_one_record_never_both_win(store_env):
    registry = Registry(env=store_env)
    peer_worker_id = registry.register_peer_worker("Anne", "38", ["addiction"], date(2021, 1, 1), legal_basis=CONSENT)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def move(departement: str) -> None:
        barrier.wait()
        try:
            registry.move_peer_worker(peer_worker_id, departement, date(2021, 3, 1))
            outcomes.append("moved")
        except RuleBrokenError:
            outcomes.append("refused")

    threads = [threading.Thread(target=move, args=(code,)) for code in ("69", "73", "74", "01")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reloaded = Registry(env=store_env).get_peer_worker(peer_worker_id)
    assert outcomes.count("moved") == reloaded.version - 2  # after the registration and its legal basis
    registry.close()


def test_replicas_starting_together_on_an_empty_database_all_start(postgres_env):
    # Without the lock around table creation, one of two replicas failed in most rounds.
    failures: list[Exception] = []
    for _ in range(5):
        env = {**postgres_env, "POSTGRES_SCHEMA": new_schema(postgres_env)}
        together = threading.Barrier(2)

        def start(env: dict[str, str] = env, together: threading.Barrier = together) -> None:
            together.wait()
            try:
                Registry(env=env).close()
            except Exception as error:  # noqa: BLE001 (collected, then asserted on)
                failures.append(error)

        replicas = [threading.Thread(target=start) for _ in range(2)]
        for replica in replicas:
            replica.start()
        for replica in replicas:
            replica.join()
    assert failures == []


class Note(Aggregate):
    """An aggregate of this test's own, to save events of a chosen size."""

    def __init__(self, text: str) -> None:
        self.text = text


def test_a_save_of_many_large_events_finishes_on_postgres(postgres_env):
    # An import saves 500 rows in one transaction. In psycopg's pipeline mode (eventsourcing's
    # own PostgreSQL recorder) a save of this size waited for ever on the server in most runs.
    registry = Registry(env={**postgres_env, "POSTGRES_SCHEMA": new_schema(postgres_env)})
    notes = [Note("x" * 900) for _ in range(600)]
    saving = threading.Thread(target=registry.save, args=notes, daemon=True)
    saving.start()
    saving.join(timeout=60)
    assert not saving.is_alive(), "a save of 600 events of 1 KB did not finish in 60 s"
    assert registry.recorder.max_notification_id() == 600
    registry.close()
