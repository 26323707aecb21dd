"""Making the releases, in the background.

Once the views have caught up with the stream and stood still for a look (every ``interval``
seconds), and again whenever they have applied new events since or France's day has changed,
the publisher makes the releases of the reference
dates that have none, and recomputes the exact figures of every release made: when they
differ from its latest version's (a backdated or corrected record) and the published figures
differ too, it stores a new version, listing the published figures that moved. The earlier versions stay readable; nothing is
ever changed in place. A request never computes a release: it reads one stored.

A release protects its own figures (the census at its day, the trainings of its period, on a
31 December the year's collective organisation) with
the version it follows, and quotes the earlier releases for the rest (``figures``): every
release and revision is then protected together (``disclosure.suppression``).
"""

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from ..disclosure.suppression import Revision
from ..ports import Cursor, Releases, ReleaseVersion, Views
from ..reads.census_reads import first_day
from .calendar import release_days
from .figure_paths import moved
from .figures import PERIOD, Earlier, release_figures

log = logging.getLogger(__name__)


class Publisher:
    def __init__(
        self,
        views: Views,
        releases: Releases,
        threshold: int,
        quarter_ends: bool,
        today: Callable[[], date],
        position: Callable[[], int],  # the views' stream sequence: it moves when they change
    ) -> None:
        self._views, self._releases, self._threshold = views, releases, threshold
        self._quarter_ends, self._today, self._position = quarter_ends, today, position
        self._done: tuple[int, date] | None = None  # the position and day last published at
        # A day's release takes about a second to compute: the service stops after it,
        # rather than after all of them (the thread running them cannot be cancelled).
        self._stopping = threading.Event()

    def stop(self) -> None:
        """Ends ``run`` at its next turn, and a ``publish`` after the day it is making.

        Cancelling ``run`` is not enough on Python 3.11: ``asyncio.wait_for`` (in nats-py's
        requests, which ``settled`` makes) drops a cancellation that comes as its answer does,
        and the loop then went on; a service once waited minutes for it to stop."""
        self._stopping.set()

    def _quoted(self, day: date, version: int) -> Earlier:
        return Earlier(day, lambda key: self._releases.answer(day, version, key))

    def _release_days(self) -> list[date]:
        first = self._views.read(_first_fact, self._today())
        return release_days(first, self._today(), self._quarter_ends)

    def publish(self) -> list[ReleaseVersion]:
        """Makes what is missing or has changed; returns the versions made."""
        state = (self._position(), self._today())
        if state == self._done:
            return []
        existing = self._releases.versions()
        made: list[ReleaseVersion] = []
        earlier: list[Earlier] = []
        for day in self._release_days():
            if self._stopping.is_set():  # stopping: the rest at the next start
                return made
            latest = existing.get(day, [])[-1:]
            revision = None
            if latest:
                before_published, before_exact = self._releases.figures(day, latest[0].version)
                revision = Revision(exact=before_exact, published=before_published)
            answers, published, exact = release_figures(self._views, self._threshold, day, earlier, revision)
            changes: list[str] = []
            if revision is not None:
                # Listed and versioned by what the public sees: a version for a change in hidden
                # counts only, or a hidden figure listed as moved, would tell that it changed.
                # A version made before releases quoted each other (without its period's row)
                # is made again, protected with it.
                quotable = self._releases.answer(day, latest[0].version, PERIOD) is not None
                if moved(dict(revision.exact), exact) or not quotable:
                    changes = moved(dict(revision.published), published)
                if quotable and not changes:
                    earlier.append(self._quoted(day, latest[0].version))
                    continue
            version = ReleaseVersion(day, latest[0].version + 1 if latest else 1, datetime.now(UTC), changes)
            self._releases.add(version, answers, published, exact)
            log.info("release of %s, version %d: %d figures moved", day, version.version, len(changes))
            made.append(version)
            earlier.append(Earlier(day, answers.__getitem__))
        self._done = state
        return made

    async def run(self, interval: float, settled: Callable[[], Awaitable[bool]]) -> None:
        """Publishes when ``settled`` (the views have applied every event on the stream) and
        the views have stood still since the previous look, ``interval`` seconds before. A
        store catching up, a bulk load or a run of corrections then makes one version, not one
        per batch: each revision hides what moved little since the one before, and versions
        made halfway would leave most of a release hidden."""
        last = None
        while not self._stopping.is_set():
            try:
                position = self._position()
                if await settled() and position == last:
                    await asyncio.to_thread(self.publish)
                last = position
            except asyncio.CancelledError:
                self._stopping.set()
                raise
            except Exception:  # the views or the database away: tried again at the next turn
                log.exception("publishing the releases failed")
            await asyncio.sleep(interval)


def _first_fact(cursor: Cursor, day: str) -> date | None:
    first = first_day(cursor, day)
    return None if first is None else date.fromisoformat(first)
