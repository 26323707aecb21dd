"""Figures by département, région and nationally, laid out on the INSEE COG."""

from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts import geography

from .accompaniment_statistics import (
    AccompanimentFigures,
    DepartementAccompaniments,
    RegionAccompaniments,
    accompaniment_figures,
)
from .activity_reads import accompaniment_rows, training_rows
from .store import DepartementCounts, StatisticsStore
from .training_statistics import TrainingFigures, training_figures


class Counts(BaseModel):
    peer_workers: int = Field(description="Peer workers registered and not withdrawn")
    partner_structures: int
    employed_peer_workers: int = Field(description="Peer workers with an employment going on")


class DepartementFigures(Counts):
    code: str
    name: str
    region: str


class RegionFigures(Counts):
    code: str
    name: str
    share_of_peer_workers: float = Field(description="Share of the national total, 0 to 1")
    departements_covered: int


class RegionDetail(RegionFigures):
    departements: list[DepartementFigures]


class NationalFigures(Counts):
    as_of: date
    departements_covered: int = Field(description="Départements with a peer worker or a structure")
    regions_covered: int


class RegionsFigures(BaseModel):
    as_of: date
    regions: list[RegionFigures]


class Statistics:
    def __init__(self, store: StatisticsStore) -> None:
        self._store = store

    def national(self, as_of: date) -> NationalFigures:
        counts = self._store.counts_by_departement(as_of)
        total = _sum(counts.values())
        covered = [code for code, c in counts.items() if c.peer_workers or c.partner_structures]
        return NationalFigures(
            as_of=as_of,
            **total.__dict__,
            departements_covered=len(covered),
            regions_covered=len({geography.region_of(code).code for code in covered}),
        )

    def regions(self, as_of: date) -> RegionsFigures:
        counts = self._store.counts_by_departement(as_of)
        national = _sum(counts.values()).peer_workers
        return RegionsFigures(
            as_of=as_of,
            regions=[self._region(region, counts, national) for region in geography.REGIONS.values()],
        )

    def region(self, code: str, as_of: date) -> RegionDetail:
        region = geography.region(code)
        counts = self._store.counts_by_departement(as_of)
        national = _sum(counts.values()).peer_workers
        return RegionDetail(
            **self._region(region, counts, national).model_dump(),
            departements=[_departement(dep, counts) for dep in region.departement_codes],
        )

    def departement(self, code: str, as_of: date) -> DepartementFigures:
        geography.departement(code)
        return _departement(code, self._store.counts_by_departement(as_of))

    def accompaniments(self, as_of: date) -> AccompanimentFigures:
        return accompaniment_figures(self._store.read(accompaniment_rows, as_of), as_of)

    def region_accompaniments(self, code: str, as_of: date) -> RegionAccompaniments:
        region = geography.region(code)
        rows = self._store.read(accompaniment_rows, as_of)
        figures = accompaniment_figures(rows, as_of, region.departement_codes)
        return RegionAccompaniments(code=code, name=region.name, **figures.model_dump())

    def departement_accompaniments(self, code: str, as_of: date) -> DepartementAccompaniments:
        departement = geography.departement(code)
        figures = accompaniment_figures(self._store.read(accompaniment_rows, as_of), as_of, {code})
        return DepartementAccompaniments(
            code=code, name=departement.name, region=departement.region_code, **figures.model_dump()
        )

    def trainings(
        self, as_of: date, region: str | None = None, departement: str | None = None
    ) -> TrainingFigures:
        """Limited to ``region`` and to ``departement`` when given (both: the département
        if it lies in the région, else nothing)."""
        codes = None if region is None else set(geography.region(region).departement_codes)
        if departement is not None:
            geography.departement(departement)
            codes = {departement} if codes is None else codes & {departement}
        figures = training_figures(self._store.read(training_rows, as_of), as_of, codes)
        return figures.model_copy(update={"region": region, "departement": departement})

    @staticmethod
    def _region(
        region: geography.Region, counts: dict[str, DepartementCounts], national: int
    ) -> RegionFigures:
        own = [counts[code] for code in region.departement_codes if code in counts]
        total = _sum(own)
        return RegionFigures(
            code=region.code,
            name=region.name,
            **total.__dict__,
            share_of_peer_workers=round(total.peer_workers / national, 4) if national else 0.0,
            departements_covered=sum(1 for c in own if c.peer_workers or c.partner_structures),
        )


def _departement(code: str, counts: dict[str, DepartementCounts]) -> DepartementFigures:
    departement = geography.departement(code)
    own = counts.get(code, DepartementCounts())
    return DepartementFigures(
        code=code, name=departement.name, region=departement.region_code, **own.__dict__
    )


def _sum(counts: object) -> DepartementCounts:
    items = list(counts)  # type: ignore[call-overload]
    return DepartementCounts(
        sum(c.peer_workers for c in items),
        sum(c.partner_structures for c in items),
        sum(c.employed_peer_workers for c in items),
    )
