"""Response bodies of the registry's HTTP API: the records as they are read, and the refusals
and answers of their own."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from peerwork_contracts import geography
from peerwork_contracts.vocabulary import InterventionDomain, Sector

from ..domain.legal_basis import Basis, ConsentGiven
from ..domain.partner_structure import PartnerStructure
from ..domain.peer_worker import PeerWorker
from ..domain.peer_worker_employments import Employment


class MergedRefusal(BaseModel):
    """The record was erased, or merged into another record (``merged_into``)."""

    detail: str
    merged_into: UUID | None = Field(default=None, description="The record that stands for the person now")


class StructureView(BaseModel):
    id: UUID
    name: str
    siret: str | None
    departement: str
    region: str
    sector: Sector
    registered_on: date
    version: int

    @classmethod
    def of(cls, structure: PartnerStructure) -> "StructureView":
        return cls(
            id=structure.id,
            name=structure.name,
            siret=structure.siret,
            departement=structure.departement,
            region=geography.region_of(structure.departement).code,
            sector=structure.sector,
            registered_on=structure.registered_on,
            version=structure.version,
        )


class EmploymentView(BaseModel):
    id: UUID
    structure_id: UUID
    starts_on: date
    ends_on: date | None
    accompaniment_id: UUID | None = Field(
        description="The accompaniment whose hiring recorded it (a mistake is retracted there), or null"
    )

    @classmethod
    def of(cls, employment: Employment) -> "EmploymentView":
        return cls(
            id=employment.employment_id,
            structure_id=employment.structure_id,
            starts_on=employment.starts_on,
            ends_on=employment.ends_on,
            accompaniment_id=employment.accompaniment_id,
        )


class LegalBasisView(BaseModel):
    basis: Basis
    consent_given_on: date | None
    consent_given_how: ConsentGiven | None
    consent_withdrawn_on: date | None = Field(
        description="The person withdrew their consent: the record is kept only for the counts already made"
    )

    @classmethod
    def of(cls, peer_worker: PeerWorker) -> "LegalBasisView | None":
        basis = peer_worker.basis
        if basis is None:
            return None
        return cls(
            basis=basis.basis, consent_given_on=basis.consent_given_on, consent_given_how=basis.consent_given_how,
            consent_withdrawn_on=peer_worker.consent_withdrawn_on,
        )


class PeerWorkerView(BaseModel):
    id: UUID
    display_name: str | None = Field(
        description="None when the peer worker was registered by a hiring, which carries no name"
    )
    departement: str
    region: str
    domains: list[InterventionDomain]
    registered_on: date
    withdrawn_on: date | None
    legal_basis: LegalBasisView | None = Field(
        description="None for a registration by a hiring, until staff record it (and once erased)"
    )
    employments: list[EmploymentView]
    version: int

    @classmethod
    def of(cls, peer_worker: PeerWorker) -> "PeerWorkerView":
        return cls(
            id=peer_worker.id,
            display_name=peer_worker.display_name,
            departement=peer_worker.departement,
            region=geography.region_of(peer_worker.departement).code,
            domains=list(peer_worker.domains),
            registered_on=peer_worker.registered_on,
            withdrawn_on=peer_worker.withdrawn_on,
            legal_basis=LegalBasisView.of(peer_worker),
            employments=[EmploymentView.of(e) for e in peer_worker.employments.values()],
            version=peer_worker.version,
        )


class ErasurePending(BaseModel):
    """An erasure done, whose last copies on disk are being cleared (202)."""

    detail: str
