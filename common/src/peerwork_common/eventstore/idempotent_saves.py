"""What the events' transaction records about the idempotent request (``idempotency``) that
caused them: the request's claim on its key took effect, and what it created.

Written by the recorder with the events (as the keys of new people are, ``personal_data_keys``),
so that a request cut short after its events were committed is never taken for one that did
nothing: its retry gets the answer, not a second execution. The claim is fenced: the events
are stored only while the request still holds its claim, so a request that lost it (a retry
took the key over, ``IdempotentRequests.claim``) stores nothing, however late it commits.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteProcessRecorder

from peerwork_common.domain.errors import RuleBrokenError
from peerwork_common.eventstore.datastores import Datastore, mark, table
from peerwork_common.eventstore.notification_reads import PostgresNotificationReads, SQLiteNotificationReads
from peerwork_common.eventstore.personal_data.keys import PostgresKeyStoringRecorder, SQLiteKeyStoringRecorder
from peerwork_common.eventstore.postgres_inserts import PostgresRecorder

TABLE = "idempotent_requests"


@dataclass(frozen=True)
class Claim:
    """A caller's key, held by one request: ``token`` is new each time the key is claimed."""

    subject: str
    key: str
    token: str


class WouldStore(Exception):
    """The request would store events: raised instead while ``checking``."""


class ClaimLost(RuleBrokenError):
    def __init__(self) -> None:
        super().__init__(
            "this request ran so long that a retry with the same Idempotency-Key took it "
            "over: nothing was stored by this one; the retry's answer is the one that counts"
        )


_running: ContextVar[Claim | None] = ContextVar("peerwork_idempotent_claim", default=None)
_checking: ContextVar[bool] = ContextVar("peerwork_idempotent_checking", default=False)


@contextmanager
def running(claim: Claim) -> Iterator[None]:
    """The events stored meanwhile, in this context, are ``claim``'s request's outcome."""
    reset = _running.set(claim)
    try:
        yield
    finally:
        _running.reset(reset)


@contextmanager
def checking() -> Iterator[None]:
    """Meanwhile, in this context, a save raises WouldStore and stores nothing: a request
    runs as far as its checks of the caller, and no further."""
    reset = _checking.set(True)
    try:
        yield
    finally:
        _checking.reset(reset)


class OutcomeRecording:
    """Makes a process recorder record, in the events' transaction, that the request
    holding its claim took effect, and the first aggregate it created (a creation's id)."""

    datastore: Datastore

    def _insert_events(
        self, cursor: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Any:
        if _checking.get():
            raise WouldStore
        if (claim := _running.get()) is not None and stored_events:
            m = mark(self.datastore)
            new = (str(s.originator_id) for s in stored_events if s.originator_version == 1)
            created = next(new, None)
            cursor.execute(
                f"UPDATE {table(self.datastore, TABLE)} SET took_effect = 1, "
                f"resource = COALESCE(resource, {m}) "
                f"WHERE subject = {m} AND key = {m} AND claim = {m} RETURNING key",
                (created, claim.subject, claim.key, claim.token),
            )
            # The row stays locked until the events commit: a retry taking the key over
            # meanwhile waits, then sees that it took effect (PostgreSQL re-reads the row).
            if cursor.fetchone() is None:  # raised in the transaction: it rolls back
                raise ClaimLost
        return super()._insert_events(cursor, stored_events, **kwargs)  # type: ignore[misc]


class SQLiteOutcomeRecorder(OutcomeRecording, SQLiteNotificationReads, SQLiteProcessRecorder):
    pass


class PostgresOutcomeRecorder(OutcomeRecording, PostgresNotificationReads, PostgresRecorder):
    pass


class SQLiteKeyStoringOutcomeRecorder(OutcomeRecording, SQLiteNotificationReads, SQLiteKeyStoringRecorder):
    pass


class PostgresKeyStoringOutcomeRecorder(OutcomeRecording, PostgresNotificationReads, PostgresKeyStoringRecorder):
    pass


def recorder_class(datastore: Datastore, storing_keys: bool) -> type:
    """The write application's process recorder on ``datastore``: it records the outcome of
    idempotent requests, and the keys of new people when ``storing_keys``; it reads the log
    without the topics it is told to leave out (``notification_reads``)."""
    if isinstance(datastore, PostgresDatastore):
        return PostgresKeyStoringOutcomeRecorder if storing_keys else PostgresOutcomeRecorder
    return SQLiteKeyStoringOutcomeRecorder if storing_keys else SQLiteOutcomeRecorder
