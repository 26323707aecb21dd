"""The figures reporting serves, read from the store as they stood at the end of a day."""

from collections.abc import Collection
from datetime import date

from pydantic import BaseModel, Field

from peerwork_contracts import geography

from ..disclosure.suppression import SUPPRESSED, PublishedCount
from ..ports import Views
from .accompaniment_statistics import (
    AccompanimentFigures,
    DepartementAccompaniments,
    RegionAccompaniments,
    accompaniment_figures,
)
from .activity_reads import accompaniment_rows, training_rows
from .census_figures import DepartementFigures, NationalFigures, RegionDetail, RegionsFigures
from .census_reads import CensusRow, census_rows, some_census_rows
from .census_statistics import Census
from .collective_reads import collective_rows
from .collective_statistics import CollectiveFigures, collective_figures, protect_each_year
from .series_reads import YearEnd, year_ends
from .training_protection import protect_participants
from .training_statistics import TrainingFigures, training_figures


class YearFigures(BaseModel):
    year: int
    as_of: date = Field(description="31 December, or today for the current year")
    peer_workers: PublishedCount
    partner_structures: int
    employed_peer_workers: PublishedCount
    accompaniments_opened: int = Field(description="Accompaniments requested that year")
    trainings_delivered: int = Field(description="Sessions whose last day fell that year")
    training_participants: PublishedCount


class Series(BaseModel):
    exact: bool
    region: str | None
    departement: str | None
    years: list[YearFigures] = Field(
        description="From the year of the first fact (2000 at the earliest) to as_of's"
    )


class Statistics:
    def __init__(self, store: Views, threshold: int) -> None:
        self._store = store
        self._threshold = threshold

    @property
    def threshold(self) -> int:
        """The largest count of people a protected figure never shows."""
        return self._threshold

    def census(self, as_of: date, exact: bool) -> Census:
        return self._census(self._store.read(census_rows, as_of), exact)

    def _census(self, rows: dict[str, CensusRow], exact: bool) -> Census:
        return Census(rows, None if exact else self._threshold)

    def national(self, as_of: date, exact: bool = False) -> NationalFigures:
        return self.census(as_of, exact).national(as_of)

    def regions(self, as_of: date, exact: bool = False) -> RegionsFigures:
        return self.census(as_of, exact).regions(as_of)

    def region(self, code: str, as_of: date, exact: bool = False) -> RegionDetail:
        region = geography.region(code)
        return self._place_census(region.departement_codes, as_of, exact).region_detail(region)

    def departement(self, code: str, as_of: date, exact: bool = False) -> DepartementFigures:
        geography.departement(code)
        return self._place_census([code], as_of, exact).departement(code)

    def _place_census(self, departements: Collection[str], as_of: date, exact: bool) -> Census:
        """Exact figures of a place read its départements only (at a million events, the
        rest of the country was most of a région's read); protected ones need every
        département's, to hide what differencing would give away."""
        if not exact:
            return self.census(as_of, exact)
        rows, some = self._store.read(some_census_rows(departements), as_of)
        return Census(rows, None, some=some)

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
        self,
        as_of: date,
        region: str | None = None,
        departement: str | None = None,
        exact: bool = False,
    ) -> TrainingFigures:
        """Limited to ``region`` and to ``departement`` when given (both: the département
        if it lies in the région, else nothing)."""
        codes = _departements(region, departement)
        figures = training_figures(self._store.read(training_rows, as_of), as_of, codes)
        figures = figures.model_copy(update={"region": region, "departement": departement})
        return figures if exact else protect_participants(figures, self._threshold)

    def collective(self, as_of: date, exact: bool = False, last_year: int | None = None) -> CollectiveFigures:
        """Peers' collective organisation year by year up to ``last_year`` (as_of's by default)."""
        figures = collective_figures(self._store.read(collective_rows, as_of), as_of, last_year)
        return figures if exact else protect_each_year(figures, self._threshold)

    def series(
        self, as_of: date, region: str | None = None, departement: str | None = None, exact: bool = False
    ) -> Series:
        """Year by year, each year's figures as they stood at its end."""
        codes = _departements(region, departement)
        # Participants come from one table of every year, as /stats/trainings publishes it:
        # a table per year's end would let one year's figures be set against another's.
        trainings = self.trainings(as_of, region, departement, exact)
        return Series(
            exact=exact,
            region=region,
            departement=departement,
            years=[
                self._year(end, region, departement, codes, exact, trainings)
                for end in self._store.read(year_ends, as_of)
            ],
        )

    def _year(
        self,
        end: YearEnd,
        region: str | None,
        departement: str | None,
        codes: set[str] | None,
        exact: bool,
        trainings: TrainingFigures,
    ) -> YearFigures:
        census = self._census(end.census, exact)
        if departement is not None:
            place = census.departement(departement)
        elif region is not None:
            place = census.region(geography.region(region))
        else:
            place = census.national(end.day)
        accompaniments = accompaniment_figures(end.accompaniments, end.day, codes)
        opened = next((y.opened for y in accompaniments.by_year if y.year == end.year), 0)
        delivered = [row for row in trainings.by_year if row.year == end.year]
        participants = [row.participants for row in delivered]
        return YearFigures(
            year=end.year,
            as_of=end.day,
            peer_workers=place.peer_workers,
            partner_structures=place.partner_structures,
            employed_peer_workers=place.employed_peer_workers,
            accompaniments_opened=opened,
            trainings_delivered=sum(row.sessions for row in delivered),
            training_participants=SUPPRESSED if SUPPRESSED in participants else sum(participants),
        )


def _departements(region: str | None, departement: str | None) -> set[str] | None:
    """The départements of ``region`` and ``departement`` (None: all of them)."""
    codes = None if region is None else set(geography.region(region).departement_codes)
    if departement is not None:
        geography.departement(departement)
        codes = {departement} if codes is None else codes & {departement}
    return codes
