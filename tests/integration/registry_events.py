"""The registry's public events, built as its relay publishes them, for the tests of what
other services keep of them."""

import uuid
from datetime import date, datetime, timezone

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.registry_records import RegistryRecords
from peerwork_contracts import registry
from peerwork_contracts.envelope import Event

_DAY = date(2022, 1, 3)


def registry_event(kind: type[Event], aggregate_id: uuid.UUID, position: int, **payload: object) -> Event:
    return kind.build(
        source="registry",
        occurred_at=_DAY,
        recorded_at=datetime(2022, 1, 3, tzinfo=timezone.utc),
        position=position,
        aggregate_id=aggregate_id,
        aggregate_version=position,
        payload=payload,
    )


def structure_registered(structure_id: uuid.UUID, departement: str, position: int = 1) -> Event:
    return registry_event(
        registry.PartnerStructureRegistered, structure_id, position,
        name="Relais", siret=None, departement=departement, sector="addiction",
    )


def peer_worker_registered(peer_worker_id: uuid.UUID, departement: str, position: int = 1) -> Event:
    return registry_event(
        registry.PeerWorkerRegistered, peer_worker_id, position, departement=departement, domains=["addiction"]
    )


def peer_worker_moved(peer_worker_id: uuid.UUID, departements: tuple[str, str], position: int) -> Event:
    return registry_event(
        registry.PeerWorkerMoved, peer_worker_id, position,
        from_departement=departements[0], to_departement=departements[1],
    )


def peer_worker_withdrawn(peer_worker_id: uuid.UUID, departement: str, position: int) -> Event:
    return registry_event(registry.PeerWorkerWithdrawn, peer_worker_id, position, departement=departement)


def peer_worker_reinstated(peer_worker_id: uuid.UUID, departement: str, position: int) -> Event:
    return registry_event(registry.PeerWorkerReinstated, peer_worker_id, position, departement=departement, reopened=[])


def peer_worker_erased(peer_worker_id: uuid.UUID, position: int) -> Event:
    return registry_event(registry.PeerWorkerErased, peer_worker_id, position)


def structure_corrected(structure_id: uuid.UUID, departement: str, position: int) -> Event:
    return registry_event(
        registry.PartnerStructureCorrected, structure_id, position,
        name="Relais", siret=None, departement=departement, sector="addiction", corrected=["departement"],
    )


def known_structure(application: Accompaniments, departement: str = "38") -> uuid.UUID:
    """A structure the registry registered, as the accompaniment keeps it from the
    registry's events (tests/integration/accompaniment/test_structure_references.py: over a real bus)."""
    records = RegistryRecords.of(application)
    structure_id, position = uuid.uuid4(), records.last_sequence() + 1
    records.apply([structure_registered(structure_id, departement, position)], position)
    return structure_id


def known_peer_worker(application: Accompaniments, departement: str = "38") -> uuid.UUID:
    """A peer worker the registry registered, as the accompaniment keeps it."""
    records = RegistryRecords.of(application)
    peer_worker_id, position = uuid.uuid4(), records.last_sequence() + 1
    records.apply([peer_worker_registered(peer_worker_id, departement, position)], position)
    return peer_worker_id
