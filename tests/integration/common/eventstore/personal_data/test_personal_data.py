"""Personal fields at rest, on SQLite and PostgreSQL: sealed with a key of the person's own
in events and snapshots, read back in the registry only, and unreadable everywhere once the
key is destroyed, while the anonymous facts stay."""

from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError

from peerwork_common.domain.errors import ErasedError
from peerwork_common.eventstore.personal_data.fields import PersonalDataMapper
from peerwork_common.eventstore.personal_data.keys import MemoryKeyStore
from peerwork_registry.application import Registry
from peerwork_registry.domain.peer_worker import PeerWorker
from tests.helpers import CONSENT

NAME = "Sealed Marker-3c9d Leroy"


@pytest.fixture
def registry(store_env):
    registry = Registry(env={**store_env, "IS_SNAPSHOTTING_ENABLED": "y"})
    yield registry
    registry.close()


def stored_states(registry: Registry, peer_worker_id) -> bytes:
    events = list(registry.recorder.select_events(peer_worker_id))
    snapshots = list(registry.snapshots.recorder.select_events(peer_worker_id))
    assert events and snapshots
    return b"".join(stored.state for stored in events + snapshots)


def test_the_name_is_sealed_in_events_and_snapshots_and_read_back_in_the_registry(registry):
    peer_worker_id = registry.register_peer_worker(NAME, "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    registry.take_snapshot(peer_worker_id)

    assert NAME.encode() not in stored_states(registry, peer_worker_id)
    assert registry.get_peer_worker(peer_worker_id).display_name == NAME  # from the snapshot
    assert registry.repository.get(peer_worker_id, version=1).display_name == NAME  # from the events
    assert registry.get_peer_worker(peer_worker_id).basis == CONSENT
    assert b"explicit_consent" not in stored_states(registry, peer_worker_id)  # the legal basis too
    # The relay and the audit read without keys: no name, no legal basis.
    registered, basis = registry.recorder.select_events(peer_worker_id)
    assert registry.publication_mapper.to_domain_event(registered).display_name is None
    assert registry.publication_mapper.to_domain_event(basis).legal_basis is None


def test_each_person_has_a_key_of_their_own(registry):
    anne = registry.register_peer_worker("Anne", "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    bruno = registry.register_peer_worker("Bruno", "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    keys = registry.personal_data_keys
    assert keys.key(anne) != keys.key(bruno)
    registry.erase_peer_worker(anne, date(2023, 1, 2))
    assert keys.key(anne) is None
    assert registry.get_peer_worker(bruno).display_name == "Bruno"


def test_after_erasure_events_and_snapshots_read_as_erased_and_the_facts_stay(registry):
    peer_worker_id = registry.register_peer_worker(NAME, "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    registry.take_snapshot(peer_worker_id)
    registry.erase_peer_worker(peer_worker_id, date(2023, 1, 2))

    with pytest.raises(ErasedError, match="erased on 2023-01-02"):
        registry.get_peer_worker(peer_worker_id)
    assert registry.repository.get(peer_worker_id, version=1).display_name is None  # events
    assert registry.repository.get(peer_worker_id, version=2).legal_basis is None
    [snapshot] = registry.snapshots.get(peer_worker_id)  # the one taken before the erasure
    assert snapshot.originator_version == 2 and snapshot.state["display_name"] is None
    assert snapshot.state["legal_basis"] is None
    erased = registry.repository.get(peer_worker_id)
    assert (erased.departement, erased.registered_on, erased.withdrawn_on) == ("38", date(2022, 1, 3), date(2023, 1, 2))
    registry.erase_peer_worker(peer_worker_id, date(2023, 1, 3))  # again: nothing more to do
    assert registry.repository.get(peer_worker_id).version == erased.version


def test_a_hiring_of_an_erased_peer_worker_is_refused(registry):
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    peer_worker_id = registry.register_peer_worker(NAME, "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    registry.erase_peer_worker(peer_worker_id, date(2023, 1, 2))
    with pytest.raises(ErasedError):
        registry.record_employment(peer_worker_id, structure_id, date(2023, 2, 1), None)


def test_a_sealed_value_opens_only_on_its_own_record(registry):
    """Copied onto another person's event (with the other's key at hand), it is refused."""
    anne = registry.register_peer_worker("Anne", "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    bruno = registry.register_peer_worker("Bruno", "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    annes, _ = registry.recorder.select_events(anne)
    brunos, _ = registry.recorder.select_events(bruno)
    swapped = type(brunos)(brunos.originator_id, brunos.originator_version, brunos.topic, annes.state)
    with pytest.raises(ValueError, match="does not open"):
        registry.mapper.to_domain_event(swapped)


def test_without_personal_fields_nothing_is_sealed():
    keys = MemoryKeyStore()
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    mapper = PersonalDataMapper(registry.mapper.transcoder, personal_fields=frozenset({"nickname"}), keys=keys)
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    [stored] = registry.recorder.select_events(structure_id)
    assert mapper.to_stored_event(mapper.to_domain_event(stored)).state == stored.state
    assert keys.key(structure_id) is None


def test_a_new_key_is_stored_with_the_events_it_sealed_or_not_at_all(registry):
    anne = registry.register_peer_worker("Anne", "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
    newcomer = PeerWorker.register(NAME, "38", ["addiction"], date(2022, 1, 3))
    registered_twice = PeerWorker.register("Anne", "38", ["addiction"], date(2022, 1, 3), peer_worker_id=anne)
    with pytest.raises(IntegrityError):
        registry.save(newcomer, registered_twice)
    assert registry.personal_data_keys.key(newcomer.id) is None  # nothing of that save stayed
    assert registry.get_peer_worker(anne).display_name == "Anne"
    retried = PeerWorker.register(NAME, "38", ["addiction"], date(2022, 1, 3), peer_worker_id=newcomer.id)
    registry.save(retried)
    assert registry.get_peer_worker(newcomer.id).display_name == NAME
