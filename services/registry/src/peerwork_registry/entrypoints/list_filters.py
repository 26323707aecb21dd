"""The query parameters the registry's lists take, and their exports the same."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Depends, Query

from peerwork_common.http.schemas import Day, DepartementCode, RegionCode
from peerwork_contracts.vocabulary import InterventionDomain, Sector

from ..domain.legal_basis import Basis
from ..lists.queries import PeerWorkerFilters, StructureFilters
from .list_schemas import PeerWorkerSort, PeerWorkerStatus, StructureSort


def structure_filters(
    name: Annotated[
        str | None, Query(max_length=200, description="Part of the name, whatever its accents and case")
    ] = None,
    siret: Annotated[str | None, Query(pattern=r"^\d{14}$", description="The SIRET, exactly")] = None,
    departement: Annotated[DepartementCode | None, Query()] = None,
    region: Annotated[RegionCode | None, Query()] = None,
    sector: Annotated[Sector | None, Query()] = None,
    employing: Annotated[bool | None, Query(description="Whether someone is employed there today")] = None,
) -> StructureFilters:
    return StructureFilters(name, siret, departement, region, sector, employing)


def peer_worker_filters(
    display_name: Annotated[
        str | None, Query(max_length=120, description="The whole display name, whatever its accents and case")
    ] = None,
    departement: Annotated[DepartementCode | None, Query()] = None,
    region: Annotated[RegionCode | None, Query()] = None,
    domain: Annotated[InterventionDomain | None, Query()] = None,
    status_: Annotated[
        PeerWorkerStatus | None, Query(alias="status", description="Counted in the census today, or withdrawn")
    ] = None,
    structure_id: Annotated[UUID | None, Query(description="The partner structure employing them today")] = None,
    registered_from: Annotated[Day | None, Query(description="Registered on or after")] = None,
    registered_to: Annotated[Day | None, Query(description="Registered on or before")] = None,
    legal_basis: Annotated[
        Basis | Literal["none"] | None,
        Query(description="The legal basis of the record (GDPR art. 9(2)), or `none` for those without one yet"),
    ] = None,
    consent_withdrawn: Annotated[bool | None, Query(description="Whether the person withdrew their consent")] = None,
) -> PeerWorkerFilters:
    return PeerWorkerFilters(
        display_name, departement, region, domain, status_, structure_id, registered_from, registered_to,
        None if legal_basis is None else str(legal_basis), consent_withdrawn,
    )


StructureFiltersDep = Annotated[StructureFilters, Depends(structure_filters)]
StructureSortQuery = Annotated[StructureSort, Query(description="`-` first: descending")]
PeerWorkerFiltersDep = Annotated[PeerWorkerFilters, Depends(peer_worker_filters)]
PeerWorkerSortQuery = Annotated[PeerWorkerSort, Query(description="`-` first: newest first")]
