"""The statistics API."""

from typing import Annotated

from fastapi import FastAPI, HTTPException, Query

from peerwork_common.http.apps import Lifespan, install_error_handlers, service_app
from peerwork_common.security.auth import Verifier
from peerwork_contracts import geography

from ..ports import Releases
from ..reads.accompaniment_statistics import (
    AccompanimentFigures,
    DepartementAccompaniments,
    RegionAccompaniments,
)
from ..reads.census_figures import DepartementFigures, NationalFigures, RegionDetail, RegionsFigures
from ..reads.collective_statistics import KEY as COLLECTIVE
from ..reads.collective_statistics import CollectiveFigures
from ..reads.statistics import Series, Statistics
from ..reads.training_statistics import TrainingFigures
from ..storage.rebuild import Rebuilder
from . import operations, release_list, report_downloads, reports
from .deps import StatisticsDep
from .publication import RELEASE_REFUSALS, Reading, ReadingDep
from .rate_limit import PublicRateLimit, public_router

router = public_router("/stats", ["statistics"])

Region = Annotated[str | None, Query(description="Only this région (INSEE code)")]
Departement = Annotated[str | None, Query(description="Only this département (INSEE code)")]


@router.get("/national", responses=RELEASE_REFUSALS)
def national(statistics: StatisticsDep, reading: ReadingDep) -> NationalFigures:
    """National totals: peer workers, partner structures, départements covered."""
    return reading.answer("national", statistics.national)


@router.get("/regions", responses=RELEASE_REFUSALS)
def regions(statistics: StatisticsDep, reading: ReadingDep) -> RegionsFigures:
    """Every région's figures and its share of the national number of peer workers."""
    return reading.answer("regions", statistics.regions)


@router.get("/regions/{code}", responses=RELEASE_REFUSALS)
def region(code: str, statistics: StatisticsDep, reading: ReadingDep) -> RegionDetail:
    """One région (INSEE code, e.g. 84), with its départements."""
    geography.region(code)
    return reading.answer(f"regions.{code}", lambda day, exact: statistics.region(code, day, exact))


@router.get("/departments/{code}", responses=RELEASE_REFUSALS)
def departement(code: str, statistics: StatisticsDep, reading: ReadingDep) -> DepartementFigures:
    """One département (INSEE code, e.g. 38, 2A, 974)."""
    geography.departement(code)
    return reading.answer(f"departments.{code}", lambda day, exact: statistics.departement(code, day, exact))


@router.get("/accompaniments", responses=RELEASE_REFUSALS)
def accompaniments(statistics: StatisticsDep, reading: ReadingDep) -> AccompanimentFigures:
    """Accompaniments of structures nationally: opened, open, closed by outcome, milestones."""
    return reading.answer("accompaniments", lambda day, _: statistics.accompaniments(day))


@router.get("/accompaniments/regions/{code}", responses=RELEASE_REFUSALS)
def region_accompaniments(code: str, statistics: StatisticsDep, reading: ReadingDep) -> RegionAccompaniments:
    """Accompaniments of the structures of one région (INSEE code, e.g. 84)."""
    geography.region(code)
    return reading.answer(
        f"accompaniments.regions.{code}", lambda day, _: statistics.region_accompaniments(code, day)
    )


@router.get("/accompaniments/departments/{code}", responses=RELEASE_REFUSALS)
def departement_accompaniments(
    code: str, statistics: StatisticsDep, reading: ReadingDep
) -> DepartementAccompaniments:
    """Accompaniments of the structures of one département (INSEE code, e.g. 38, 2A, 974)."""
    geography.departement(code)
    return reading.answer(
        f"accompaniments.departments.{code}", lambda day, _: statistics.departement_accompaniments(code, day)
    )


@router.get("/trainings", responses=RELEASE_REFUSALS)
def trainings(
    statistics: StatisticsDep, reading: ReadingDep, region: Region = None, departement: Departement = None
) -> TrainingFigures:
    """Training sessions scheduled, delivered and cancelled, with participants and hours,
    by kind, by audience and by year of delivery."""
    return reading.answer(
        _place_key("trainings", reading, region, departement),
        lambda day, exact: statistics.trainings(day, region, departement, exact),
    )


@router.get("/collective", responses=RELEASE_REFUSALS)
def collective(statistics: StatisticsDep, reading: ReadingDep) -> CollectiveFigures:
    """Peers' collective organisation by year, nationally and by région (the national
    networks apart): networks active at the year's end, meetings, hours, peer workers who
    took part (each once a year) and other participants. A release publishes the years
    closed by its day."""
    return reading.answer(COLLECTIVE, statistics.collective)


@router.get("/series", responses=RELEASE_REFUSALS)
def series(
    statistics: StatisticsDep, reading: ReadingDep, region: Region = None, departement: Departement = None
) -> Series:
    """Year by year from the first fact recorded to as_of's year: the census at each
    year's end, the accompaniments requested and the trainings delivered that year."""
    if region is not None and departement is not None:
        raise HTTPException(422, "give a région or a département, not both")
    return reading.answer(
        _place_key("series", reading, region, departement),
        lambda day, exact: statistics.series(day, region, departement, exact),
    )


def _place_key(figures: str, reading: Reading, region: str | None, departement: str | None) -> str:
    """The release's answer for the place asked (its code checked: 404 if unknown)."""
    if region is not None:
        geography.region(region)
    if departement is not None:
        geography.departement(departement)
        if region is not None and not reading.exact:
            raise HTTPException(
                422, "a release holds the figures of a région or of a département, not of both at once"
            )
        return f"{figures}.departments.{departement}"
    return f"{figures}.regions.{region}" if region is not None else figures


def create_app(
    statistics: Statistics,
    verifier: Verifier,
    releases: Releases,
    rebuilder: Rebuilder | None = None,
    lifespan: Lifespan | None = None,
    public_requests_per_minute: int = 0,
    release_quarter_ends: bool = False,
) -> FastAPI:
    """``releases``: what the public reads; ``rebuilder``: the views' rebuild, which the
    operations routes start and follow (None: they answer 503); ``release_quarter_ends``: as in the settings.
    ``public_requests_per_minute``: per client address on the public figures; 0: no limit."""
    app = service_app(
        "peerwork reporting",
        "Statistics of peer work, by département, région and nationally.",
        lifespan,
        verifier,
    )
    app.state.statistics = statistics
    app.state.rebuilder = rebuilder
    app.state.releases, app.state.release_quarter_ends = releases, release_quarter_ends
    app.state.rendered_reports = {}  # the report's page, PDF… by release version (entrypoints.report_reading)
    app.state.public_rate_limit = (
        PublicRateLimit(public_requests_per_minute) if public_requests_per_minute else None
    )
    app.include_router(release_list.router)
    app.include_router(router)
    app.include_router(report_downloads.router)  # first: see report_downloads
    app.include_router(reports.router)
    app.include_router(operations.router)
    install_error_handlers(
        app, {geography.UnknownDepartementError: 404, geography.UnknownRegionError: 404}
    )

    return app
