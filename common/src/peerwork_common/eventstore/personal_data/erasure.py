"""Erasure of a person's personal data (GDPR art. 17) that is complete, or says it is not.

Destroying a person's key (``personal_data_keys``) erases what it sealed; but on SQLite the
key's bytes, and those of anything deleted with it, stay in the write-ahead log
(``<file>-wal``), and in the database file until the log is copied back into it, for as
long as any connection reads an older snapshot. So an erasure on SQLite is recorded as
pending (table ``personal_data_erasures``, in the key's transaction, so that a crash cannot
lose it), and complete only once the log was checkpointed and truncated: ``erase`` tries at
once, and ``finishing`` tries again in the background until it is. On PostgreSQL an
erasure is complete once committed; deploy/README.md says what its dead rows mean.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timezone
from uuid import UUID

from eventsourcing.sqlite import SQLiteDatastore

from peerwork_common.eventstore.datastores import Datastore
from peerwork_common.eventstore.personal_data.keys import Keys, KeyStore

log = logging.getLogger(__name__)

_PENDING = "personal_data_erasures"
# How long a checkpoint waits for the readers of the log to finish, writers waiting
# meanwhile: in the request, enough for the service's own short reads, not so long that a
# DELETE hangs on a reader that stays; in the background, which tries again, hardly at all.
IN_REQUEST_WAIT_MS = 1000
IN_BACKGROUND_WAIT_MS = 50
RETRY_EVERY = 1.0  # seconds between two background tries while an erasure is pending


class Erasures:
    """Destroys people's keys, and makes sure no copy of them stays in the database's files."""

    def __init__(self, keys: Keys, datastore: Datastore | None) -> None:
        self._keys = keys
        # Only SQLite keeps what was deleted in a log to empty (PostgreSQL: deploy/README.md).
        self._sqlite = datastore if isinstance(datastore, SQLiteDatastore) else None
        # Its table (SQLite only) is made by common's migrations.
        self.unfinished = self._sqlite is not None  # until its table says otherwise

    def erase(self, owner_id: UUID) -> bool:
        """Destroys the owner's key; True once no copy of it (nor of what was deleted before)
        is left on disk, False while that is pending, which ``finishing`` completes."""
        if self._sqlite is None or not isinstance(self._keys, KeyStore):
            self._keys.destroy(owner_id)
            return True
        with self._sqlite.transaction(commit=True) as cursor:
            self._keys.destroy(owner_id, cursor)
            cursor.execute(
                f"INSERT INTO {_PENDING} (owner_id, requested_at) VALUES (?, ?) ON CONFLICT (owner_id) DO NOTHING",
                (str(owner_id), datetime.now(timezone.utc).isoformat()),
            )
        self.unfinished = True
        if self.purge(IN_REQUEST_WAIT_MS):
            return True
        log.warning("erasure of %s pending: a reader holds the write-ahead log; it finishes once it lets go", owner_id)
        return False

    def pending(self) -> list[UUID]:
        """The owners whose erasure may still have copies on disk."""
        if self._sqlite is None:
            return []
        with self._sqlite.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT owner_id FROM {_PENDING}")
            return [UUID(row["owner_id"]) for row in cursor.fetchall()]

    def purge(self, wait_ms: int = IN_BACKGROUND_WAIT_MS) -> bool:
        """One try at completing the pending erasures: True when none is left."""
        pending = self.pending()
        if pending and self._checkpointed(wait_ms):
            with self._sqlite.transaction(commit=True) as cursor:  # type: ignore[union-attr]
                cursor.executemany(f"DELETE FROM {_PENDING} WHERE owner_id = ?", [(str(o),) for o in pending])
            log.info("erasure of %s complete: no copy left on disk", ", ".join(map(str, pending)))
            pending = self.pending()  # erased meanwhile, after the checkpoint began
        self.unfinished = bool(pending)
        return not pending

    def _checkpointed(self, wait_ms: int) -> bool:
        """Copies the whole log into the database file and empties it; False if a reader
        of an older snapshot prevents it."""
        with self._sqlite.get_connection(commit=False) as connection:  # type: ignore[union-attr]
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout")
            waited = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
            try:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                busy, _, _ = cursor.fetchone()
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")
        return not busy


@asynccontextmanager
async def finishing(erasures: Erasures, every: float = RETRY_EVERY) -> AsyncIterator[None]:
    """Completes pending erasures in the background, those left by a crash included."""

    async def run() -> None:
        while True:
            if erasures.unfinished:
                try:
                    await asyncio.to_thread(erasures.purge)
                except Exception:  # the database unavailable a moment: try again
                    log.exception("completing the pending erasures failed; trying again")
            await asyncio.sleep(every)

    task = asyncio.create_task(run(), name="erasures")
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
