"""The statistics API."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request

from peerwork_common.http import Lifespan, install_error_handlers, service_app
from peerwork_contracts import geography
from peerwork_contracts.calendar import today

from ..statistics import DepartementFigures, NationalFigures, RegionDetail, RegionsFigures, Statistics

router = APIRouter(prefix="/stats", tags=["statistics"])


def get_statistics(request: Request) -> Statistics:
    return request.app.state.statistics


StatisticsDep = Annotated[Statistics, Depends(get_statistics)]
AsOf = Annotated[
    date | None,
    Query(description="Figures as they stood at the end of this day, by effective date (default today)"),
]


@router.get("/national")
def national(statistics: StatisticsDep, as_of: AsOf = None) -> NationalFigures:
    """National totals: peer workers, partner structures, départements covered."""
    return statistics.national(as_of or today())


@router.get("/regions")
def regions(statistics: StatisticsDep, as_of: AsOf = None) -> RegionsFigures:
    """Every région's figures and its share of the national number of peer workers."""
    return statistics.regions(as_of or today())


@router.get("/regions/{code}")
def region(code: str, statistics: StatisticsDep, as_of: AsOf = None) -> RegionDetail:
    """One région (INSEE code, e.g. 84), with its départements."""
    return statistics.region(code, as_of or today())


@router.get("/departments/{code}")
def departement(code: str, statistics: StatisticsDep, as_of: AsOf = None) -> DepartementFigures:
    """One département (INSEE code, e.g. 38, 2A, 974)."""
    return statistics.departement(code, as_of or today())


def create_app(statistics: Statistics, lifespan: Lifespan | None = None) -> FastAPI:
    app = service_app(
        "peerwork reporting",
        "Statistics of peer work, by département, région and nationally.",
        lifespan,
    )
    app.state.statistics = statistics
    app.include_router(router)
    install_error_handlers(
        app, {geography.UnknownDepartementError: 404, geography.UnknownRegionError: 404}
    )

    return app
