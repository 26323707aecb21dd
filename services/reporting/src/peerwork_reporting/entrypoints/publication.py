"""What a reading of the figures gives, by who asks: the public reads the releases only
(``as_of`` a release date, by default the latest; ``version`` an earlier one); analysts and
admins read exact figures (``exact=true``) or protected ones for any day (``exact=false``
with a token and an ``as_of`` that is not a release date: what a release that day would
show)."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, Response, status

from peerwork_common.http.access import Caller
from peerwork_common.http.refusals import refusals
from peerwork_common.security.auth import ANALYST
from peerwork_contracts.calendar import today

from ..ports import Releases, ReleaseVersion
from ..releases.calendar import first_release_day
from .access import Exact
from .dates import AsOf, Year

# A day that is not a release date, or no release yet; an unknown place or version.
RELEASE_REFUSALS = refusals(404, 409, 422)
_LISTED = 8  # release dates named in a refusal; /stats/releases lists them all

Version = Annotated[
    int | None, Query(ge=1, description="A release's earlier version (default its latest)")
]


class Reading:
    def __init__(
        self, releases: Releases, quarter_ends: bool, exact: bool, analyst: bool,
        as_of: date | None, version: int | None, response: Response,
    ) -> None:
        self._releases, self._quarter_ends = releases, quarter_ends
        self.exact, self._analyst, self._as_of, self._version = exact, analyst, as_of, version
        self._response = response
        # What the last answer came from (None: computed for staff), and that day's versions.
        self.release: ReleaseVersion | None = None
        self.revisions: list[ReleaseVersion] = []

    def answer(self, key: str, compute: Callable[[date, bool], Any]) -> Any:
        """The release's answer ``key``, or ``compute(day, exact)`` for staff reading any day."""
        if self.exact:
            return compute(self._as_of or today(), True)
        versions = self._releases.versions()
        if self._analyst and self._as_of is not None and self._as_of not in versions:
            return compute(self._as_of, False)
        release = self._release(versions)
        self.release, self.revisions = release, versions[release.day]
        self._response.headers["Release-Date"] = release.day.isoformat()
        self._response.headers["Release-Version"] = str(release.version)
        answer = self._releases.answer(release.day, release.version, key)
        if answer is None:  # a version made by a reporting that did not publish these yet
            raise HTTPException(
                status.HTTP_404_NOT_FOUND,
                f"version {release.version} of the release of {release.day.isoformat()} does not hold "
                "these figures: see /stats/releases for the other versions",
            )
        return answer

    def _release(self, versions: dict[date, list[ReleaseVersion]]) -> ReleaseVersion:
        if not versions:
            first = first_release_day(today(), self._quarter_ends)
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                "no release has been made yet: the public reads the figures as they stood at "
                "reference dates once past, each released within two minutes of a record dated "
                f"by then; with records of this year only, the first is {first.isoformat()}'s "
                "(see /stats/releases); staff read exact figures with exact=true",
            )
        day = self._as_of or max(versions)
        if day not in versions:
            days = [d.isoformat() for d in sorted(versions)]
            listed = ", ".join(days[-_LISTED:])
            more = f" (the latest {_LISTED} of {len(days)}: see /stats/releases)" if len(days) > _LISTED else ""
            raise HTTPException(
                422,
                f"{day.isoformat()} is not a release date: the public reads the figures as released "
                f"on {listed}{more}; exact figures for any day need an analyst's token",
            )
        made = versions[day]
        if self._version is None:
            return made[-1]
        if self._version > len(made):
            raise HTTPException(
                status.HTTP_404_NOT_FOUND,
                f"the release of {day.isoformat()} has versions 1 to {len(made)}, not {self._version}",
            )
        return made[self._version - 1]


def reading(request: Request, response: Response, identity: Caller, exact: Exact,
            as_of: AsOf = None, version: Version = None) -> Reading:
    analyst = identity is not None and identity.may(ANALYST)
    state = request.app.state
    return Reading(state.releases, state.release_quarter_ends, exact, analyst, as_of, version, response)


def year_reading(request: Request, response: Response, identity: Caller, exact: Exact,
                 year: Year, version: Version = None) -> Reading:
    """The reading of the year's report: the release of its 31 December."""
    return reading(request, response, identity, exact, date(year, 12, 31), version)


ReadingDep = Annotated[Reading, Depends(reading)]
YearReadingDep = Annotated[Reading, Depends(year_reading)]
