from datetime import date
from uuid import NAMESPACE_OID, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from peerwork_contracts.vocabulary import Sector

from .values import check_departement, check_name, check_siret


class PartnerStructure(Aggregate):
    """An organisation that hosts or employs peer workers."""

    @classmethod
    def register(
        cls, name: str, siret: str | None, departement: str, sector: Sector, effective_on: date
    ) -> "PartnerStructure":
        return cls(
            name=check_name(name, "structure's name"),
            siret=check_siret(siret) if siret else None,
            departement=check_departement(departement),
            sector=Sector(sector).value,
            effective_on=effective_on,
        )

    @event("Registered")
    def __init__(
        self, name: str, siret: str | None, departement: str, sector: str, effective_on: date
    ) -> None:
        self.name = name
        self.siret = siret
        self.departement = departement
        self.sector = Sector(sector)
        self.registered_on = effective_on


class SiretIndex(Aggregate):
    """Claims a SIRET for one structure: a second claim conflicts when it is saved."""

    @staticmethod
    def create_id(siret: str) -> UUID:
        return uuid5(NAMESPACE_OID, f"peerwork/siret/{siret}")

    @event("Claimed")
    def __init__(self, siret: str, structure_id: UUID) -> None:
        self.structure_id = structure_id
