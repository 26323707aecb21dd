"""The census as published: peer workers, partner structures and employment, by
département, région and nationally, on the INSEE COG.

Counts of people (peer workers, by domain, employed) are protected for the public: see
``disclosure.suppression``. Structures are organisations, and are published exactly.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts import geography
from peerwork_contracts.vocabulary import InterventionDomain, Sector

from ..disclosure.suppression import SUPPRESSED, PublishedCount, suppress_table
from .census_reads import CensusRow

Key = tuple[str, str]  # ("departement" | "region" | "nation", code)
Count = PublishedCount

# Each figure of people is its own table: a domain's column does not add up to the
# number of peer workers, since a peer worker has one domain or more.
PEOPLE = ("peer_workers", "employed_peer_workers", *(f"domain:{d.value}" for d in InterventionDomain))
NATION: Key = ("nation", "FR")


class CensusCounts(BaseModel):
    peer_workers: Count = Field(description="Peer workers registered and not withdrawn")
    partner_structures: int
    employed_peer_workers: Count = Field(description="Peer workers with an employment going on")
    peer_workers_by_domain: dict[InterventionDomain, Count] = Field(
        description="Peer workers by domain of intervention; one may have several"
    )
    structures_by_sector: dict[Sector, int]


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
    departements_covered: int = Field(description="Départements with a peer worker or a structure")


class RegionDetail(RegionFigures):
    departements: list[DepartementFigures]


class NationalFigures(CensusCounts):
    as_of: date
    exact: bool = Field(description="False: counts of 1 to the threshold, and what would reveal them, are suppressed")
    departements_covered: int = Field(description="Départements with a peer worker or a structure")
    regions_covered: int


class RegionsFigures(BaseModel):
    as_of: date
    exact: bool
    regions: list[RegionFigures]


def _key(level: str, code: str) -> Key:
    return (level, code)


class Census:
    """One day's census, summed up the COG, exact or protected by ``threshold``."""

    def __init__(self, rows: Mapping[str, CensusRow], threshold: int | None) -> None:
        self._rows = rows
        self.exact = threshold is None
        self._totals: dict[str, dict[Key, int]] = {metric: self._sums(metric) for metric in PEOPLE}
        self._hidden: dict[str, set[Key]] = (
            {}
            if threshold is None
            else {metric: _protect(totals, threshold) for metric, totals in self._totals.items()}
        )

    def national(self, as_of: date) -> NationalFigures:
        covered = [code for code, row in self._rows.items() if _covered(row)]
        return NationalFigures(
            as_of=as_of,
            exact=self.exact,
            **self._counts(NATION, self._rows.values()),
            departements_covered=len(covered),
            regions_covered=len({geography.region_of(code).code for code in covered}),
        )

    def regions(self, as_of: date) -> RegionsFigures:
        return RegionsFigures(
            as_of=as_of,
            exact=self.exact,
            regions=[self.region(region) for region in geography.REGIONS.values()],
        )

    def region(self, region: geography.Region) -> RegionFigures:
        own = [self._rows[code] for code in region.departement_codes if code in self._rows]
        key = _key("region", region.code)
        peer_workers = self._count("peer_workers", key)
        national = self._totals["peer_workers"][NATION]
        return RegionFigures(
            code=region.code,
            name=region.name,
            **self._counts(key, own),
            share_of_peer_workers=(
                SUPPRESSED if peer_workers == SUPPRESSED
                else round(peer_workers / national, 4) if national else 0.0
            ),
            departements_covered=sum(1 for row in own if _covered(row)),
        )

    def region_detail(self, region: geography.Region) -> RegionDetail:
        return RegionDetail(
            **self.region(region).model_dump(),
            departements=[self.departement(code) for code in region.departement_codes],
        )

    def departement(self, code: str) -> DepartementFigures:
        departement = geography.departement(code)
        row = self._rows.get(code, CensusRow())
        return DepartementFigures(
            code=code,
            name=departement.name,
            region=departement.region_code,
            **self._counts(_key("departement", code), [row]),
        )

    def _counts(self, key: Key, rows: Iterable[CensusRow]) -> dict:
        rows = list(rows)
        sectors = {sector: sum(row.structures_by_sector.get(sector.value, 0) for row in rows) for sector in Sector}
        return {
            "peer_workers": self._count("peer_workers", key),
            "partner_structures": sum(row.partner_structures for row in rows),
            "employed_peer_workers": self._count("employed_peer_workers", key),
            "peer_workers_by_domain": {
                domain: self._count(f"domain:{domain.value}", key) for domain in InterventionDomain
            },
            "structures_by_sector": sectors,
        }

    def _count(self, metric: str, key: Key) -> Count:
        if key in self._hidden.get(metric, ()):
            return SUPPRESSED
        return self._totals[metric].get(key, 0)

    def _sums(self, metric: str) -> dict[Key, int]:
        """The metric for every département, région and the nation."""
        value = _METRICS[metric] if metric in _METRICS else _domain(metric.removeprefix("domain:"))
        totals: dict[Key, int] = {}
        for region in geography.REGIONS.values():
            for code in region.departement_codes:
                totals[_key("departement", code)] = value(self._rows.get(code, CensusRow()))
            totals[_key("region", region.code)] = sum(
                totals[_key("departement", code)] for code in region.departement_codes
            )
        totals[NATION] = sum(totals[_key("region", code)] for code in geography.REGIONS)
        return totals


def _covered(row: CensusRow) -> bool:
    return bool(row.peer_workers or row.partner_structures)


def _domain(domain: str):  # noqa: ANN202
    return lambda row: row.peer_workers_by_domain.get(domain, 0)


_METRICS = {
    "peer_workers": lambda row: row.peer_workers,
    "employed_peer_workers": lambda row: row.employed_peer_workers,
}

_REGIONS = list(geography.REGIONS.values())
_WIDTH = max(len(region.departement_codes) for region in _REGIONS)


def _protect(totals: Mapping[Key, int], threshold: int) -> set[Key]:
    """What to hide of one figure of people, over départements, régions and the nation.

    The three levels are one table, so that no figure is recovered by setting a région's
    row against its départements: a row per région, its départements in its cells, the
    région as row total and the nation as grand total. Its column totals (the first
    départements of every région, the second...) mean nothing and are never published.
    """
    grid = [
        [totals[_key("departement", code)] for code in region.departement_codes]
        + [0] * (_WIDTH - len(region.departement_codes))
        for region in _REGIONS
    ]
    table = suppress_table(grid, threshold, column_totals_published=False)
    hidden = {NATION} if table.grand_total else set()
    for region, cells, row_hidden in zip(_REGIONS, table.cells, table.row_totals):
        if row_hidden:
            hidden.add(_key("region", region.code))
        hidden.update(
            _key("departement", code) for code, cell in zip(region.departement_codes, cells) if cell
        )
    return hidden
