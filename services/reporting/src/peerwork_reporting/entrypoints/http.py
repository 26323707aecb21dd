"""The statistics API."""

from typing import Annotated

from fastapi import FastAPI, HTTPException, Query

from peerwork_common.auth import Verifier
from peerwork_common.http import Lifespan, install_error_handlers, service_app
from peerwork_common.refusals import refusals
from peerwork_contracts import geography
from peerwork_contracts.calendar import today

from ..reads.accompaniment_statistics import (
    AccompanimentFigures,
    DepartementAccompaniments,
    RegionAccompaniments,
)
from ..reads.census_statistics import DepartementFigures, NationalFigures, RegionDetail, RegionsFigures
from ..reads.statistics import Series, Statistics
from ..reads.training_statistics import TrainingFigures
from . import operations, reports
from .access import Exact
from .dates import AsOf
from .deps import StatisticsDep
from .rate_limit import PublicRateLimit, public_router

router = public_router("/stats", ["statistics"])

# An unknown région or département code.
UNKNOWN_PLACE = refusals(404)


@router.get("/national")
def national(statistics: StatisticsDep, exact: Exact, as_of: AsOf = None) -> NationalFigures:
    """National totals: peer workers, partner structures, départements covered."""
    return statistics.national(as_of or today(), exact)


@router.get("/regions")
def regions(statistics: StatisticsDep, exact: Exact, as_of: AsOf = None) -> RegionsFigures:
    """Every région's figures and its share of the national number of peer workers."""
    return statistics.regions(as_of or today(), exact)


@router.get("/regions/{code}", responses=UNKNOWN_PLACE)
def region(code: str, statistics: StatisticsDep, exact: Exact, as_of: AsOf = None) -> RegionDetail:
    """One région (INSEE code, e.g. 84), with its départements."""
    return statistics.region(code, as_of or today(), exact)


@router.get("/departments/{code}", responses=UNKNOWN_PLACE)
def departement(
    code: str, statistics: StatisticsDep, exact: Exact, as_of: AsOf = None
) -> DepartementFigures:
    """One département (INSEE code, e.g. 38, 2A, 974)."""
    return statistics.departement(code, as_of or today(), exact)


@router.get("/accompaniments")
def accompaniments(statistics: StatisticsDep, as_of: AsOf = None) -> AccompanimentFigures:
    """Accompaniments of structures nationally: opened, open, closed by outcome, milestones."""
    return statistics.accompaniments(as_of or today())


@router.get("/accompaniments/regions/{code}", responses=UNKNOWN_PLACE)
def region_accompaniments(
    code: str, statistics: StatisticsDep, as_of: AsOf = None
) -> RegionAccompaniments:
    """Accompaniments of the structures of one région (INSEE code, e.g. 84)."""
    return statistics.region_accompaniments(code, as_of or today())


@router.get("/accompaniments/departments/{code}", responses=UNKNOWN_PLACE)
def departement_accompaniments(
    code: str, statistics: StatisticsDep, as_of: AsOf = None
) -> DepartementAccompaniments:
    """Accompaniments of the structures of one département (INSEE code, e.g. 38, 2A, 974)."""
    return statistics.departement_accompaniments(code, as_of or today())


@router.get("/trainings", responses=UNKNOWN_PLACE)
def trainings(
    statistics: StatisticsDep,
    exact: Exact,
    as_of: AsOf = None,
    region: Annotated[str | None, Query(description="Only this région (INSEE code)")] = None,
    departement: Annotated[str | None, Query(description="Only this département (INSEE code)")] = None,
) -> TrainingFigures:
    """Training sessions scheduled, delivered and cancelled, with participants and hours,
    by kind, by audience and by year of delivery."""
    return statistics.trainings(as_of or today(), region, departement, exact)


@router.get("/series", responses=UNKNOWN_PLACE)
def series(
    statistics: StatisticsDep,
    exact: Exact,
    as_of: AsOf = None,
    region: Annotated[str | None, Query(description="Only this région (INSEE code)")] = None,
    departement: Annotated[str | None, Query(description="Only this département (INSEE code)")] = None,
) -> Series:
    """Year by year from the first fact recorded to as_of's year: the census at each
    year's end, the accompaniments requested and the trainings delivered that year."""
    if region is not None and departement is not None:
        raise HTTPException(422, "give a région or a département, not both")
    return statistics.series(as_of or today(), region, departement, exact)


def create_app(
    statistics: Statistics,
    verifier: Verifier,
    lifespan: Lifespan | None = None,
    public_requests_per_minute: int = 0,
) -> FastAPI:
    """``public_requests_per_minute``: per client address on the public figures; 0: no limit."""
    app = service_app(
        "peerwork reporting",
        "Statistics of peer work, by département, région and nationally.",
        lifespan,
        verifier,
    )
    app.state.statistics = statistics
    app.state.public_rate_limit = (
        PublicRateLimit(public_requests_per_minute) if public_requests_per_minute else None
    )
    app.include_router(router)
    app.include_router(reports.router)
    app.include_router(operations.router)
    install_error_handlers(
        app, {geography.UnknownDepartementError: 404, geography.UnknownRegionError: 404}
    )

    return app
