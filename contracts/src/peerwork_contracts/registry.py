"""Events published by the registry service.

They identify people only by pseudonymous ids: no name, contact detail or free text
about a person ever reaches the bus.
"""

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import Field

from .envelope import Event, Payload
from .vocabulary import InterventionDomain, Sector

Departement = str  # an INSEE COG code, see peerwork_contracts.geography


class PartnerStructureRegisteredPayload(Payload):
    name: str = Field(description="Name of the organisation.", examples=["Le Relais Ozanam"])
    siret: str | None = Field(description="SIRET number, when the structure has one.", examples=["73282932000074"])
    departement: Departement = Field(description="INSEE code of the département.", examples=["38"])
    sector: Sector


class PartnerStructureRegistered(Event):
    """A partner structure was registered in the census."""

    source: Literal["registry"] = "registry"
    event_type: Literal["partner_structure.registered"] = "partner_structure.registered"
    schema_version: Literal[1] = 1
    payload: PartnerStructureRegisteredPayload


class PartnerStructureCorrectedPayload(Payload):
    name: str = Field(description="Name of the organisation, as corrected.", examples=["Le Relais Ozanam"])
    siret: str | None = Field(description="SIRET number, as corrected; null when it has none.", examples=["73282932000074"])
    departement: Departement = Field(description="INSEE code of the département, as corrected.", examples=["38"])
    sector: Sector
    corrected: tuple[Literal["name", "siret", "departement", "sector"], ...] = Field(
        description="The fields the correction changed; the others are as they were.",
        min_length=1,
        examples=[["departement"]],
    )


class PartnerStructureCorrected(Event):
    """A partner structure's record was put right: it was recorded wrong, and is now to be
    read as if it had been registered with the payload's values. ``occurred_at`` is the
    structure's registration date, from which it counts with the corrected values (not a
    move: the structure never was where the mistake put it)."""

    source: Literal["registry"] = "registry"
    event_type: Literal["partner_structure.corrected"] = "partner_structure.corrected"
    schema_version: Literal[1] = 1
    payload: PartnerStructureCorrectedPayload


class PeerWorkerRegisteredPayload(Payload):
    departement: Departement = Field(description="INSEE code of the département.", examples=["69"])
    domains: tuple[InterventionDomain, ...] = Field(description="Domains of intervention.", min_length=1)


class PeerWorkerRegistered(Event):
    """A peer worker was registered in the census (``occurred_at``: the registration date)."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.registered"] = "peer_worker.registered"
    schema_version: Literal[1] = 1
    payload: PeerWorkerRegisteredPayload


class PeerWorkerMovedPayload(Payload):
    from_departement: Departement
    to_departement: Departement


class PeerWorkerMoved(Event):
    """A peer worker now works in another département."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.moved"] = "peer_worker.moved"
    schema_version: Literal[1] = 1
    payload: PeerWorkerMovedPayload


class PeerWorkerWithdrawnPayload(Payload):
    departement: Departement = Field(description="Département the peer worker was counted in.")


class PeerWorkerWithdrawn(Event):
    """A peer worker left the census; they are no longer counted from ``occurred_at``."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.withdrawn"] = "peer_worker.withdrawn"
    schema_version: Literal[1] = 1
    payload: PeerWorkerWithdrawnPayload


class PeerWorkerErasedPayload(Payload):
    pass


class PeerWorkerErased(Event):
    """A peer worker's record was erased at their request (GDPR art. 17), on ``occurred_at``.

    Their personal fields, which never reach the bus, can no longer be read anywhere. A
    system that keeps anything it links to this ``aggregate_id`` must erase it too. The
    anonymous facts published before stay true, and past counts with them. A peer worker
    still in the census was withdrawn first (``peer_worker.withdrawn``)."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.erased"] = "peer_worker.erased"
    schema_version: Literal[1] = 1
    payload: PeerWorkerErasedPayload


class EmploymentRecordedPayload(Payload):
    employment_id: UUID
    structure_id: UUID
    starts_on: date
    ends_on: date | None = Field(description="Known end date, if any (exclusive of later days).")


class EmploymentRecorded(Event):
    """A partner structure employs the peer worker (``aggregate_id``) from ``starts_on``."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.employment_recorded"] = "peer_worker.employment_recorded"
    schema_version: Literal[1] = 1
    payload: EmploymentRecordedPayload


class EmploymentEndedPayload(Payload):
    employment_id: UUID
    structure_id: UUID
    ends_on: date


class EmploymentEnded(Event):
    """An employment of the peer worker (``aggregate_id``) ended on ``ends_on``."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.employment_ended"] = "peer_worker.employment_ended"
    schema_version: Literal[1] = 1
    payload: EmploymentEndedPayload


EVENTS: tuple[type[Event], ...] = (
    PartnerStructureRegistered,
    PeerWorkerRegistered,
    PeerWorkerMoved,
    PeerWorkerWithdrawn,
    PeerWorkerErased,
    EmploymentRecorded,
    EmploymentEnded,
    PartnerStructureCorrected,
)
