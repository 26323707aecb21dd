"""The platform's annual report: the year's figures as they stood on 31 December, as
tables a person can export one by one (``page``: the same as the page a person reads)."""

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from peerwork_contracts import geography
from peerwork_contracts.vocabulary import InterventionDomain, Milestone, Outcome, Sector

from ..reads.accompaniment_statistics import AccompanimentFigures
from ..reads.census_figures import NationalFigures
from ..reads.census_statistics import Census
from ..reads.collective_statistics import CollectiveFigures
from ..reads.statistics import Statistics

TABLES = {
    "regions": "Peer workers, partner structures and employment by région, with each région's share",
    "departements": "Peer workers and partner structures by département (those with either); "
    "employment by région only",
    "domains": "Peer workers by domain of intervention, by région (published nationally only: "
    "see national.peer_workers_by_domain)",
    "sectors": "Partner structures by sector, by région",
    "employed_by_sector": "Peer workers employed on 31 December, by the sector of the structure employing them, "
    "nationally (one employed in two sectors counts in both: the rows add up to more than the employed)",
    "accompaniments": "Accompaniments by year of request: requests, still open, closed by outcome",
    "funnel": "Accompaniments requested, then that reached each milestone, up to the year's end",
    "trainings": "Training sessions delivered by year, kind and audience: sessions, participants, hours",
    "series": "Year by year since the first fact: the census at the year's end and the year's activity",
    "collective": "Peers' collective organisation by year and région (national networks apart, and France): "
    "networks active at the year's end, meetings, hours, peer workers and other participants",
}

Row = dict[str, Any]


class AnnualReport(BaseModel):
    year: int
    as_of: date = Field(description="31 December of the year")
    exact: bool = Field(description="False: small counts of people are suppressed")
    national: NationalFigures
    tables: dict[str, list[Row]] = Field(description=f"One entry per table: {', '.join(TABLES)}")


def annual_report(
    statistics: Statistics, year: int, exact: bool, quoted: dict[str, list[Row]] | None = None
) -> AnnualReport:
    """``quoted``: tables as a release publishes them ("trainings", "series"), made of what
    earlier releases published rather than computed again."""
    as_of = date(year, 12, 31)
    quoted = quoted or {}
    census = statistics.census(as_of, exact)
    national = census.national(as_of)
    tables = {**_census_tables(census, national), **_accompaniment_tables(statistics.accompaniments(as_of))}
    if "trainings" not in quoted:
        trainings = statistics.trainings(as_of, exact=exact).by_year
        tables["trainings"] = [row.model_dump(mode="json") for row in trainings]
    if "series" not in quoted:
        tables["series"] = [row.model_dump(mode="json") for row in statistics.series(as_of, exact=exact).years]
    if "collective" not in quoted:
        tables["collective"] = collective_table(statistics.collective(as_of, exact=exact))
    tables.update(quoted)
    return AnnualReport(
        year=year, as_of=as_of, exact=exact, national=national, tables=tables
    )


def _census_tables(census: Census, national: NationalFigures) -> dict[str, list[Row]]:
    regions = [census.region(region) for region in geography.REGIONS.values()]
    departements = [
        census.departement(code)
        for region in geography.REGIONS.values()
        for code in region.departement_codes
    ]
    return {
        "regions": [
            {
                "region": r.code,
                "name": r.name,
                "peer_workers": r.peer_workers,
                "share_of_peer_workers": r.share_of_peer_workers,
                "partner_structures": r.partner_structures,
                "employed_peer_workers": r.employed_peer_workers,
                "departements_covered": r.departements_covered,
            }
            for r in regions
        ],
        "departements": [
            {
                "departement": d.code,
                "name": d.name,
                "region": d.region,
                "peer_workers": d.peer_workers,
                "partner_structures": d.partner_structures,
                "employed_peer_workers": d.employed_peer_workers,
            }
            for d in departements
            if d.peer_workers or d.partner_structures
        ],
        "domains": [
            {"region": r.code, "name": r.name, **{d.value: r.peer_workers_by_domain[d] for d in InterventionDomain}}
            for r in regions
        ],
        "sectors": [
            {"region": r.code, "name": r.name, **{s.value: r.structures_by_sector[s] for s in Sector}}
            for r in regions
        ],
        "employed_by_sector": [
            {"sector": s.value, "employed_peer_workers": national.employed_by_sector[s]} for s in Sector
        ],
    }


def _accompaniment_tables(accompaniments: AccompanimentFigures) -> dict[str, list[Row]]:
    return {
        "accompaniments": [
            {
                "year": y.year,
                "requests": y.opened,
                "open": y.open,
                **{o.value: y.closed_by_outcome[o] for o in Outcome},
            }
            for y in accompaniments.by_year
        ],
        "funnel": [
            {"step": "request", "accompaniments": accompaniments.opened},
            *({"step": m.value, "accompaniments": accompaniments.milestones[m]} for m in Milestone),
        ],
    }


def collective_table(figures: CollectiveFigures) -> list[Row]:
    """Each year's places (``region``: a région's code, or ``national`` for the national
    networks), then its total for France (``region`` null)."""
    columns = ("networks", "meetings", "hours", "peer_worker_participants", "other_participants")
    rows: list[Row] = []
    for total in figures.years:
        rows.extend(
            {"year": p.year, "region": p.code, "name": p.name, **p.model_dump(include=set(columns))}
            for p in figures.by_region if p.year == total.year
        )
        rows.append({"year": total.year, "region": None, "name": "France", **total.model_dump(include=set(columns))})
    return rows
