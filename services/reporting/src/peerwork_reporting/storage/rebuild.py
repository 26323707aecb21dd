"""Rebuilding the views from the start of the stream, while the live store keeps serving.

1. A fresh store (a new SQLite file, or a new PostgreSQL schema) is fed from stream
   sequence 1 by its own durable consumer, until it has caught up with the live store.
2. The live consumer then applies every batch to both stores, so the fresh one follows.
3. Once the live store has reached the fresh one's position, the two hold the same events:
   with the live consumer paused, their views are compared row by row.
4. If they agree, the live store switches over to the fresh one, and the configured store
   records it (``<file>.current``, or the schema's ``store_in_use`` table) so that a
   restart opens it. If not, nothing changes and the fresh store is kept for inspection.
   The old one is left for the operator to remove.
"""

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from nats.errors import Error as NatsError

from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.workers.background import in_background

from ..ports import Location
from .store import StatisticsStore

log = logging.getLogger(__name__)

State = Literal["idle", "catching up", "verifying", "switched", "failed"]
# Larger than live batches, as latency does not matter: fewer transactions, and each
# rewrites fewer pages per event (a batch's peer workers are scattered over the indexes).
# Two batches are in memory at once (one applied, the next arriving): at a million events,
# 5,000 held 18 MB less than 10,000 (which took the service to 203 MB, over its 200), built at
# 19,600-21,800 events/s against 15,800-20,700 (bench/README.md, 2026-12-04).
REBUILD_BATCH = 5_000
REBUILD_SUFFIX = "-rebuild"  # the rebuild's durable consumer: the live one's name and this


@dataclass
class RebuildStatus:
    state: State = "idle"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    store: str | None = None  # the fresh store's file or schema
    rebuilt_sequence: int = 0
    live_sequence: int = 0
    detail: str = ""
    differences: list[str] = field(default_factory=list)


class Rebuilder:
    """Runs one rebuild at a time for the live ``store`` and its ``consumer``."""

    def __init__(
        self,
        store: StatisticsStore,
        consumer: DurableConsumer,
        nats_url: str,
        configured: Location,  # where a switch is recorded
        poll: float = 0.2,
    ) -> None:
        self._store = store
        self._consumer = consumer
        self._nats_url = nats_url
        self._configured = configured
        self._poll = poll
        self.status = RebuildStatus()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> RebuildStatus:
        """Starts a rebuild in the background, unless one is running."""
        if not self.running:
            now = datetime.now(UTC)
            location = self._configured.fresh(now)
            self.status = RebuildStatus("catching up", started_at=now, store=location.name)
            self._task = asyncio.create_task(self._run(location), name="reporting-rebuild")
        return self.status

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self, location: Location) -> None:
        # Made by the migrations as it is opened, as the live one was; durable when switched to.
        fresh = StatisticsStore(location, durable=False)
        follower = DurableConsumer(
            self._nats_url, self._consumer.name + REBUILD_SUFFIX, fresh, batch_size=REBUILD_BATCH
        )
        try:
            await self._catch_up(fresh, follower)
            self.status.state = "verifying"
            while self._store.last_sequence() < fresh.last_sequence():
                await self._progress(fresh)
            async with self._consumer.paused():
                differences = await asyncio.to_thread(self._store.differences, fresh)
                self._store.mirror_to(None)
                if differences:
                    self._finish("failed", f"the rebuilt views differ from the live ones: {', '.join(differences)}")
                    self.status.differences = differences
                    fresh.close()
                    return
                self._store.switch_to(fresh)
                self._configured.point_to(location)
            self._finish("switched", f"serving from {location.name} at stream sequence {fresh.last_sequence()}")
        except asyncio.CancelledError:
            self._store.mirror_to(None)
            fresh.close()
            raise
        except Exception as error:  # reported to the operator, who may start again
            log.exception("rebuild failed")
            self._store.mirror_to(None)
            fresh.close()
            self._finish("failed", f"{type(error).__name__}: {error}")
        finally:
            with suppress(NatsError, OSError, TimeoutError):  # NATS away: the operator removes it
                await follower.delete()
            await follower.close()

    async def _catch_up(self, fresh: StatisticsStore, follower: DurableConsumer) -> None:
        async with in_background(follower):
            while fresh.last_sequence() < self._store.last_sequence():
                await self._progress(fresh)
            # At once, with no await in between: every batch the live consumer applies
            # from now on reaches the fresh store too, which skips what it already holds.
            self._store.mirror_to(fresh)

    async def _progress(self, fresh: StatisticsStore) -> None:
        self.status.rebuilt_sequence = fresh.last_sequence()
        self.status.live_sequence = self._store.last_sequence()
        await asyncio.sleep(self._poll)

    def _finish(self, state: State, detail: str) -> None:
        self.status.state = state
        self.status.detail = detail
        self.status.finished_at = datetime.now(UTC)
        log.info("rebuild %s: %s", state, detail)
