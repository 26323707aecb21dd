"""What the census routes answer: peer workers, partner structures and employment, by
département, région and nationally (see ``census_statistics`` for how they are counted and
protected)."""

from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts.vocabulary import InterventionDomain, Sector

from ..disclosure.suppression import PublishedCount

Count = PublishedCount


class CensusCounts(BaseModel):
    peer_workers: Count = Field(description="Peer workers registered and not withdrawn")
    partner_structures: int
    employed_peer_workers: Count = Field(
        description="Peer workers with an employment going on. Protected: by région and nationally only"
    )
    peer_workers_by_domain: dict[InterventionDomain, Count] = Field(
        description="Peer workers by domain of intervention; one may have several. Protected: nationally only"
    )
    structures_by_sector: dict[Sector, int]
    employed_by_sector: dict[Sector, Count] = Field(
        description="Peer workers employed by a structure of the sector; one employed in two sectors counts in "
        "both, so these may add up to more than employed_peer_workers. Protected: nationally only"
    )


class DepartementFigures(CensusCounts):
    code: str
    name: str
    region: str


class RegionFigures(CensusCounts):
    code: str
    name: str
    share_of_peer_workers: float | str = Field(
        description="Share of the national number of peer workers, 0 to 1 (suppressed with it)"
    )
    departements_covered: int = Field(
        description="Départements with a partner structure or peer workers (protected: shown ones)"
    )


class RegionDetail(RegionFigures):
    departements: list[DepartementFigures]


class NationalFigures(CensusCounts):
    as_of: date
    exact: bool = Field(description="False: counts of 1 to the threshold, and what would reveal them, are suppressed")
    departements_covered: int = Field(
        description="Départements with a partner structure or peer workers (protected: shown ones)"
    )
    regions_covered: int


class RegionsFigures(BaseModel):
    as_of: date
    exact: bool
    regions: list[RegionFigures]

