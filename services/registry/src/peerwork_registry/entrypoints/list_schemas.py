"""What the registry's lists answer with, and the orders they take."""

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from peerwork_contracts import geography
from peerwork_contracts.vocabulary import InterventionDomain, Sector

from ..domain.legal_basis import Basis

StructureSort = Literal["name", "-name", "registered_on", "-registered_on"]
PeerWorkerSort = Literal["registered_on", "-registered_on"]
PeerWorkerStatus = Literal["counted", "withdrawn"]


class StructureItem(BaseModel):
    """A partner structure in a list (``GET /structures/{id}`` has its whole record)."""

    id: UUID
    name: str
    siret: str | None
    departement: str
    region: str
    sector: Sector
    registered_on: date

    @classmethod
    def of(cls, row: dict[str, Any]) -> "StructureItem":
        return cls(region=geography.region_of(row["departement"]).code, **row)


class PeerWorkerItem(BaseModel):
    """A peer worker in a list, without their name: their record (``GET /peer-workers/{id}``)
    has it."""

    id: UUID
    departement: str
    region: str
    domains: list[InterventionDomain]
    registered_on: date
    withdrawn_on: date | None = Field(description="Counted until that day, if withdrawn")
    legal_basis: Basis | None = Field(description="None until one is recorded (a registration by a hiring)")
    consent_withdrawn_on: date | None = Field(
        description="The person withdrew their consent: the record is kept only for the counts already made"
    )

    @classmethod
    def of(cls, row: dict[str, Any]) -> "PeerWorkerItem":
        return cls(region=geography.region_of(row["departement"]).code, **row)


class NamedPeerWorkerItem(PeerWorkerItem):
    """A peer worker in an export an admin asked with names (``include_names``)."""

    display_name: str | None = Field(
        description="Read from their record; None when they were registered by a hiring, which carries no name"
    )
