"""Events published by the registry service.

They identify people only by pseudonymous ids: no name, contact detail or free text
about a person ever reaches the bus.
"""

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import Field

from .envelope import Event, Payload
from .evolution import InterventionDomainValue, SectorValue

Departement = str  # an INSEE COG code, see peerwork_contracts.geography


class PartnerStructureRegisteredPayload(Payload):
    name: str = Field(description="Name of the organisation.", examples=["Le Relais Ozanam"])
    siret: str | None = Field(description="SIRET number, when the structure has one.", examples=["73282932000074"])
    departement: Departement = Field(description="INSEE code of the département.", examples=["38"])
    sector: SectorValue


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
    sector: SectorValue
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
    domains: tuple[InterventionDomainValue, ...] = Field(description="Domains of intervention.", min_length=1)


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


# Corrections (since 1.3.0): a mistake put right, not a new fact. A subscriber that counts
# applies each to what it holds, so that its counts read as if the mistake had never been
# made. Why it was corrected stays in the registry.


class PeerWorkerRegistrationCorrectedPayload(Payload):
    departement: Departement = Field(
        description="INSEE code of the département the peer worker was registered in (a later move stands).",
        examples=["38"],
    )
    registered_on: date = Field(description="The registration date, corrected.")
    domains: tuple[InterventionDomainValue, ...] = Field(
        description="Domains of intervention, all of them (they replace the earlier ones).", min_length=1
    )
    now_in: Departement = Field(
        description="INSEE code of the département the peer worker is in now: the corrected one, "
        "unless they moved since.",
        examples=["38"],
    )


class PeerWorkerRegistrationCorrected(Event):
    """A peer worker's registration was put right (``occurred_at``: the corrected date):
    count them as registered so from the start; this is no move."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.registration_corrected"] = "peer_worker.registration_corrected"
    schema_version: Literal[1] = 1
    payload: PeerWorkerRegistrationCorrectedPayload


class EmploymentCorrectedPayload(Payload):
    employment_id: UUID
    structure_id: UUID
    starts_on: date = Field(description="The start, corrected.")
    ends_on: date | None = Field(description="The end, corrected (exclusive of later days); null: still going on.")


class EmploymentCorrected(Event):
    """An employment's dates were put right (``occurred_at``: the corrected start)."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.employment_corrected"] = "peer_worker.employment_corrected"
    schema_version: Literal[1] = 1
    payload: EmploymentCorrectedPayload


class EmploymentCancelledPayload(Payload):
    employment_id: UUID
    structure_id: UUID


class EmploymentCancelled(Event):
    """An employment was recorded by mistake: it never was (``occurred_at``: the day it was
    cancelled)."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.employment_cancelled"] = "peer_worker.employment_cancelled"
    schema_version: Literal[1] = 1
    payload: EmploymentCancelledPayload


class ReopenedEmployment(Payload):
    employment_id: UUID
    ends_on: date | None = Field(description="Its end as known before the withdrawal; null: still going on.")


class PeerWorkerReinstatedPayload(Payload):
    departement: Departement = Field(description="Département the peer worker is counted in again.")
    reopened: tuple[ReopenedEmployment, ...] = Field(
        description="The employments the withdrawal had ended, with the end they have again."
    )


class PeerWorkerReinstated(Event):
    """A withdrawal was recorded by mistake: it never happened (``occurred_at``: the day it
    was undone). The peer worker counts as if never withdrawn."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.reinstated"] = "peer_worker.reinstated"
    schema_version: Literal[1] = 1
    payload: PeerWorkerReinstatedPayload


class PeerWorkerMergedPayload(Payload):
    into: UUID = Field(description="The record of the same person that stands from now on.")


class PeerWorkerMerged(Event):
    """A person was registered twice: this record (``aggregate_id``) was merged into the
    other (``into``), and counts no more, as if never registered. The survivor's events
    that follow carry what it took in: its registration corrected to the earlier date and
    both records' domains, and this record's employments (recorded again on it, with the
    same ids). A subscriber that links anything to this id links it to ``into``."""

    source: Literal["registry"] = "registry"
    event_type: Literal["peer_worker.merged"] = "peer_worker.merged"
    schema_version: Literal[1] = 1
    payload: PeerWorkerMergedPayload


EVENTS: tuple[type[Event], ...] = (
    PartnerStructureRegistered,
    PeerWorkerRegistered,
    PeerWorkerMoved,
    PeerWorkerWithdrawn,
    PeerWorkerErased,
    EmploymentRecorded,
    EmploymentEnded,
    PartnerStructureCorrected,
    PeerWorkerRegistrationCorrected,
    EmploymentCorrected,
    EmploymentCancelled,
    PeerWorkerReinstated,
    PeerWorkerMerged,
)
