"""A second version of a released subject, for the tests only: a deliberate breaking change
(``peer_worker.registered.v2`` names its département ``departement_code``), with v1 published
beside it as the contracts would declare it (``side_by_side.SIDE_BY_SIDE``)."""

from datetime import date
from typing import Literal

import pytest
from pydantic import Field

from peerwork_contracts import catalogue, side_by_side
from peerwork_contracts.envelope import Event, Payload
from peerwork_contracts.evolution import InterventionDomainValue
from peerwork_contracts.registry import PeerWorkerRegistered, PeerWorkerRegisteredPayload
from peerwork_registry.publication import to_contract

V1 = PeerWorkerRegistered.subject()


class PeerWorkerRegisteredV2Payload(Payload):
    departement_code: str = Field(description="INSEE code of the département.")
    domains: tuple[InterventionDomainValue, ...] = Field(description="Domains of intervention.", min_length=1)


class PeerWorkerRegisteredV2(Event):
    """A peer worker was registered in the census: the version a breaking change made."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.registered"] = "peer_worker.registered"
    schema_version: Literal[2] = 2
    payload: PeerWorkerRegisteredV2Payload


V2 = PeerWorkerRegisteredV2.subject()


def as_v1(event: Event) -> Event:
    """The pure derivation the contracts would declare: v1 from v2."""
    payload = PeerWorkerRegisteredPayload(departement=event.payload.departement_code, domains=event.payload.domains)
    return side_by_side.copy_as(PeerWorkerRegistered, event, payload)


def as_v2(event: Event) -> Event:
    payload = PeerWorkerRegisteredV2Payload(departement_code=event.payload.departement, domains=event.payload.domains)
    return side_by_side.copy_as(PeerWorkerRegisteredV2, event, payload)


def to_contract_v2(domain_event, position: int) -> Event | None:  # noqa: ANN001
    """The registry's mapping once v2 is out: the newest version only."""
    event = to_contract(domain_event, position)
    return as_v2(event) if isinstance(event, PeerWorkerRegistered) else event


def v1_beside(released_on: date = date(2025, 6, 1), retires_on: date = date(2100, 1, 1)) -> side_by_side.OlderVersion:
    return side_by_side.OlderVersion(PeerWorkerRegistered, as_v1, released_on, retires_on)


@pytest.fixture
def v1_published_beside_v2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The contracts hold v2, and declare v1 published beside it."""
    monkeypatch.setitem(catalogue.BY_SUBJECT, V2, PeerWorkerRegisteredV2)
    monkeypatch.setitem(side_by_side.SIDE_BY_SIDE, V2, v1_beside())
