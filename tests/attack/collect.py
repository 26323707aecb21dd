"""What an outside reader can collect of the public figures: every public statistics route of
reporting, by plain HTTP requests without a token, as ``curl`` would.

A *publication* is what the public could read of one day, or of one version of a release:
the JSON answer of every public route that speaks of it, keyed by the request made. The
attacker (``tests.attack.ilp``) reads nothing else.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import httpx

from peerwork_contracts import geography

# The routes of the figures of one day, read with ``as_of``; the ones with a {code} are
# read for each région or département the reader cares about.
DAILY_ROUTES = (
    "/stats/national",
    "/stats/regions",
    "/stats/regions/{code}",
    "/stats/trainings",
    "/stats/accompaniments",
)
# Routes over years rather than one day: read once, at the last day (series) or per year.
YEARLY_ROUTES = ("/stats/series", "/reports/annual/{year}")


@dataclass(frozen=True)
class Publication:
    """The public answers about one day (the any-day figures) or one version of a release:
    ``label`` names it ("2022-03-14", "release 2022-12-31 version 2"), ``day`` is the day
    its figures stand at, ``answers`` maps each request ("/stats/national",
    "/stats/regions/84", "/stats/series?region=84", ...) to its JSON answer. A release's
    ``version`` counts from 1, and ``published_at`` says when it was made: its series gives
    each earlier year's figures as that year's release stood then."""

    label: str
    day: date
    answers: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    published_at: datetime | None = None


def public_statistics_routes(client: httpx.Client) -> list[str]:
    """The GET routes of reporting's OpenAPI document that need no credentials (their
    security requirements list the empty one) and serve figures (/stats, /reports)."""
    document = client.get("/openapi.json").raise_for_status().json()
    return sorted(
        path
        for path, operations in document["paths"].items()
        if "get" in operations
        and path.startswith(("/stats", "/reports"))
        and {} in operations["get"].get("security", [{}])
    )


def _get(client: httpx.Client, path: str, params: dict[str, str] | None = None) -> Any:
    response = client.get(path, params=params)
    response.raise_for_status()
    return response.json()


def collect_days(
    client: httpx.Client, days: Iterable[date], regions: Iterable[str], **params: str
) -> list[Publication]:
    """Today's any-day figures: for each day, the national and région figures, the
    départements of ``regions`` (inside their région's answer), the trainings and the
    accompaniments, all ``as_of`` that day, protected as the public could read them
    before releases: the public now reads releases only, so the client sends an
    analyst's token (the tests read the truth to check the attacker against with
    ``exact="true"`` in ``params`` too)."""
    regions = list(regions)
    publications = []
    for day in days:
        params = {**params, "as_of": day.isoformat()}
        answers = {
            "/stats/national": _get(client, "/stats/national", params),
            "/stats/regions": _get(client, "/stats/regions", params),
            "/stats/trainings": _get(client, "/stats/trainings", params),
            "/stats/accompaniments": _get(client, "/stats/accompaniments", params),
        }
        for code in regions:
            answers[f"/stats/regions/{code}"] = _get(client, f"/stats/regions/{code}", params)
        publications.append(Publication(day.isoformat(), day, answers))
    return publications


def collect_years(client: httpx.Client, years: Iterable[int], as_of: date) -> list[Publication]:
    """The yearly figures: the annual report of each of ``years`` (its 31 December), and the
    series as of ``as_of`` (each year's figures at its end)."""
    publications = [
        Publication(f"report {year}", date(year, 12, 31), {
            f"/reports/annual/{year}": _get(client, f"/reports/annual/{year}"),
        })
        for year in years
    ]
    series = _get(client, "/stats/series", {"as_of": as_of.isoformat()})
    publications.append(Publication(f"series {as_of.isoformat()}", as_of, {"/stats/series": series}))
    return publications


def collect_releases(client: httpx.Client, regions: Iterable[str] | None = None) -> list[Publication]:
    """Every version of every release, as the public reads them (``client`` sends no
    token): the releases listed by /stats/releases, and for each version the national
    and région figures, each of ``regions`` (default every région) with its
    départements, the national trainings and accompaniments, the collective organisation,
    the series (national and of
    each of ``regions``) and, for a 31 December, the annual report, all read with
    ``as_of`` the release's day and ``version``. One publication per version, oldest day
    first."""
    regions = list(geography.REGIONS if regions is None else regions)
    publications = []
    for release in _get(client, "/stats/releases")["releases"]:
        day = date.fromisoformat(release["day"])
        for entry in release["versions"]:
            version = entry["version"]
            params = {"as_of": day.isoformat(), "version": str(version)}
            answers = {
                route: _get(client, route, params)
                for route in ("/stats/national", "/stats/regions", "/stats/trainings",
                              "/stats/accompaniments", "/stats/collective", "/stats/series")
            }
            for code in regions:
                answers[f"/stats/regions/{code}"] = _get(client, f"/stats/regions/{code}", params)
                answers[f"/stats/series?region={code}"] = _get(client, "/stats/series", {**params, "region": code})
            if (day.month, day.day) == (12, 31):
                answers[f"/reports/annual/{day.year}"] = _get(
                    client, f"/reports/annual/{day.year}", {"version": str(version)}
                )
            publications.append(Publication(
                f"release {day.isoformat()} version {version}", day, answers, version,
                datetime.fromisoformat(entry["published_at"]),
            ))
    return publications
