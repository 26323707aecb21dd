"""Runs a list's projection in the request that needs it, rather than in a thread.

Why not eventsourcing's ``ProjectionRunner``: it follows the log through a subscription,
which its SQLite recorder does not implement (``subscribe`` raises NotImplementedError), and
it makes an application of its own (a second event store, a second key store). Reading
one's writes would then wait for its thread through ``TrackingRecorder.wait``, which polls
from 100 ms up. Measured on the tests' embedded PostgreSQL (2 shared cores, 20 saves of one
event each): ``runner.wait`` after a save took 105 ms (median), ``catch_up`` here 12.5 ms,
and 2.2 ms when nothing is new (the usual read); it reads what the log holds past the
view's position and applies it in the calling thread.

Several threads, or processes, catching up at once are safe: the position is recorded
first in each transaction, so that only one of them applies a notification.
"""

import logging
import threading
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Tracking

from .projection import ListProjection

log = logging.getLogger(__name__)

BATCH = 500  # notifications applied in one transaction, at most


class InlineRunner:
    """Keeps ``projection``'s view at the end of ``application``'s notification log."""

    def __init__(self, application: Application[UUID], projection: ListProjection) -> None:
        self._application = application
        self.projection = projection
        self._lock = threading.Lock()  # this process's threads apply one batch at a time

    @property
    def position(self) -> int:
        """The last notification the view applied (0: none)."""
        return self.projection.view.max_tracking_id(self._application.name) or 0

    def catch_up(self) -> int:
        """Applies what the log holds past the view's position; the position reached. A read
        that follows this shows at least what was stored before it began."""
        with self._lock:
            position = self.position
            while batch := self._batch(position):
                events, tracking = batch
                try:
                    self.projection.process_events(events, tracking)
                    position = tracking.notification_id
                except IntegrityError:
                    applied = self.position
                    if applied <= position:
                        # Nobody applied the batch: its rows conflict with the view's, and
                        # trying again would loop for ever. The read fails (500) and says so.
                        log.error("the list %s cannot apply notifications %d to %d", self.projection.name,
                                  position + 1, tracking.notification_id)
                        raise
                    position = applied  # another process applied it meanwhile: read on from there
            return position

    def rebuild(self) -> int:
        """Makes the view again from the whole log, in one transaction: readers see the old
        rows until it commits, then the new ones. The position reached."""
        with self._lock:
            events: list[Any] = []
            position = 0
            while batch := self._batch(position):
                events.extend(batch[0])
                position = batch[1].notification_id
            self.projection.process_events(events, Tracking(self._application.name, position), rebuilding=True)
            log.info("list %s rebuilt from %d events", self.projection.name, len(events))
            return position

    def _batch(self, after: int) -> tuple[list[Any], Tracking] | None:
        notifications = self._application.recorder.select_notifications(
            start=after, limit=BATCH, topics=self.projection.topics, inclusive_of_start=False
        )
        if not notifications:
            return None
        mapper = self._application.mapper
        events = [mapper.to_domain_event(notification) for notification in notifications]
        return events, Tracking(self._application.name, notifications[-1].id)
