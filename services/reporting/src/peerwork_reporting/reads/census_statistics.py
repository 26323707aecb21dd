"""The census as published: peer workers, partner structures and employment, by
département, région and nationally, on the INSEE COG.

Counts of people (peer workers, employed, by domain, employed by sector) are protected for
the public: see ``disclosure.census`` and ``disclosure.national_breakdowns``; domains and
the employed by sector are published nationally only. Structures are organisations, and are
published exactly.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from peerwork_contracts import geography
from peerwork_contracts.vocabulary import InterventionDomain, Sector

from ..disclosure.census import NATION, Key, hidden_places
from ..disclosure.national_breakdowns import hidden_domains, hidden_sectors
from ..disclosure.suppression import SUPPRESSED, Revision
from .census_figures import Count, DepartementFigures, NationalFigures, RegionDetail, RegionFigures, RegionsFigures
from .census_reads import CensusRow, SomeDepartements

PEOPLE = (
    "peer_workers",
    "employed_peer_workers",
    *(f"domain:{d.value}" for d in InterventionDomain),
    *(f"employed_sector:{s.value}" for s in Sector),
)


def _key(level: str, code: str) -> Key:
    return (level, code)


class Census:
    """One day's census, summed up the COG, exact or protected by ``threshold`` (``revision``:
    together with the earlier version of a release, see ``disclosure.census``).

    Exact figures of one place may be read from the rows of its départements only
    (``census_reads.some_census_rows``, which gives ``some``): the census then answers for
    those départements' places only, their share of the nation's peer workers included."""

    def __init__(
        self, rows: Mapping[str, CensusRow], threshold: int | None, revision: Revision | None = None,
        some: SomeDepartements | None = None,
    ) -> None:
        self._rows = rows
        self.exact = threshold is None
        self._known: set[Key] | None = None  # None: every place
        if some is not None:
            if not self.exact:
                raise ValueError("protected figures are worked out from every département's")
            self._known = {_key("departement", code) for code in some.codes} | {
                _key("region", region.code) for region in geography.REGIONS.values()
                if set(region.departement_codes) <= set(some.codes)
            }
        self._totals: dict[str, dict[Key, int]] = {metric: self._sums(metric) for metric in PEOPLE}
        if some is not None:
            self._totals["peer_workers"][NATION] = some.national_peer_workers
        self._hidden: set[Key] = set()
        self._hidden_domains: set[str] = set()
        self._hidden_sectors: set[str] = set()
        if threshold is not None:
            counts = {code: (row.peer_workers, row.employed_peer_workers) for code, row in rows.items()}
            self._hidden = hidden_places(counts, threshold, revision)
            domains = {d.value: self._totals[f"domain:{d.value}"][NATION] for d in InterventionDomain}
            national = self._totals["peer_workers"][NATION]
            self._hidden_domains = hidden_domains(domains, national, threshold, NATION in self._hidden, revision)
            sectors = {s.value: self._totals[f"employed_sector:{s.value}"][NATION] for s in Sector}
            employed = self._totals["employed_peer_workers"][NATION]
            self._hidden_sectors = hidden_sectors(sectors, employed, threshold, NATION in self._hidden, revision)

    def national(self, as_of: date) -> NationalFigures:
        self._known_place(NATION)
        covered = [code for code, row in self._rows.items() if self._covered(code, row)]
        return NationalFigures(
            as_of=as_of,
            exact=self.exact,
            **self._counts(NATION, self._rows.values()),
            departements_covered=len(covered),
            regions_covered=len({geography.region_of(code).code for code in covered}),
        )

    def regions(self, as_of: date) -> RegionsFigures:
        self._known_place(NATION)
        return RegionsFigures(
            as_of=as_of,
            exact=self.exact,
            regions=[self.region(region) for region in geography.REGIONS.values()],
        )

    def region(self, region: geography.Region) -> RegionFigures:
        self._known_place(_key("region", region.code))
        own = {code: self._rows[code] for code in region.departement_codes if code in self._rows}
        key = _key("region", region.code)
        peer_workers = self._count("peer_workers", key)
        national = self._totals["peer_workers"][NATION]
        return RegionFigures(
            code=region.code,
            name=region.name,
            **self._counts(key, own.values()),
            share_of_peer_workers=(
                SUPPRESSED if peer_workers == SUPPRESSED
                else round(peer_workers / national, 4) if national else 0.0
            ),
            departements_covered=sum(1 for code, row in own.items() if self._covered(code, row)),
        )

    def region_detail(self, region: geography.Region) -> RegionDetail:
        return RegionDetail(
            **self.region(region).model_dump(),
            departements=[self.departement(code) for code in region.departement_codes],
        )

    def departement(self, code: str) -> DepartementFigures:
        departement = geography.departement(code)
        self._known_place(_key("departement", code))
        row = self._rows.get(code, CensusRow())
        return DepartementFigures(
            code=code,
            name=departement.name,
            region=departement.region_code,
            **self._counts(_key("departement", code), [row]),
        )

    def _known_place(self, key: Key) -> None:
        if self._known is not None and key not in self._known:
            raise ValueError(f"{key} is not among the places of the départements read")

    def _covered(self, code: str, row: CensusRow) -> bool:
        """A partner structure, or peer workers: shown, when protected. A département whose
        peer workers are hidden counts by its structures only, or the number covered would
        tell that its hidden figure is not 0."""
        shown = self.exact or _key("departement", code) not in self._hidden
        return bool(row.partner_structures or (row.peer_workers and shown))

    def _counts(self, key: Key, rows: Iterable[CensusRow]) -> dict:
        rows = list(rows)
        sectors = {sector: sum(row.structures_by_sector.get(sector.value, 0) for row in rows) for sector in Sector}
        return {
            "peer_workers": self._count("peer_workers", key),
            "partner_structures": sum(row.partner_structures for row in rows),
            "employed_peer_workers": self._count("employed_peer_workers", key),
            "peer_workers_by_domain": {domain: self._domain(domain, key) for domain in InterventionDomain},
            "structures_by_sector": sectors,
            "employed_by_sector": {sector: self._sector(sector, key) for sector in Sector},
        }

    def _count(self, metric: str, key: Key) -> Count:
        if key in self._hidden or (not self.exact and metric != "peer_workers" and key[0] == "departement"):
            return SUPPRESSED  # a département's employment is not published (``disclosure.census``)
        return self._totals[metric].get(key, 0)

    def _domain(self, domain: InterventionDomain, key: Key) -> Count:
        """Published nationally only (see ``disclosure.national_breakdowns``)."""
        if not self.exact and (key != NATION or domain.value in self._hidden_domains):
            return SUPPRESSED
        return self._totals[f"domain:{domain.value}"].get(key, 0)

    def _sector(self, sector: Sector, key: Key) -> Count:
        """Published nationally only, as the domains (see ``disclosure.national_breakdowns``)."""
        if not self.exact and (key != NATION or sector.value in self._hidden_sectors):
            return SUPPRESSED
        return self._totals[f"employed_sector:{sector.value}"].get(key, 0)

    def _sums(self, metric: str) -> dict[Key, int]:
        """The metric for every département, région and the nation."""
        kind, _, name = metric.partition(":")
        value = _METRICS[metric] if metric in _METRICS else _domain(name) if kind == "domain" else _employed_in(name)
        totals: dict[Key, int] = {}
        national = 0
        for region in geography.REGIONS.values():
            regional = 0
            for code in region.departement_codes:
                row = self._rows.get(code)
                regional += (count := 0 if row is None else value(row))
                totals[_key("departement", code)] = count
            totals[_key("region", region.code)] = regional
            national += regional
        totals[NATION] = national
        return totals


def _domain(domain: str):  # noqa: ANN202
    return lambda row: row.peer_workers_by_domain.get(domain, 0)


def _employed_in(sector: str):  # noqa: ANN202
    return lambda row: row.employed_by_sector.get(sector, 0)


_METRICS = {
    "peer_workers": lambda row: row.peer_workers,
    "employed_peer_workers": lambda row: row.employed_peer_workers,
}
