"""The write requests made with an ``Idempotency-Key`` (``idempotency``), and their answers.

Kept in the service's own database, through its event store's connections (SQLite or
PostgreSQL), in one table made by common's migrations; a row per caller and key, claimed before the
command runs, marked as having taken effect by the events' transaction (``idempotent_saves``),
completed with its answer, and purged once expired.

A claim that neither took effect nor got its answer is a request still running, or one cut
short (its process killed, on whichever replica). Nothing tells the two apart from another
process, so a claim is a lease: once ``lease`` has passed since it was claimed, a retry takes
the key over and runs as new. That is safe with any number of replicas, because the claim is
fenced: taking it over gives it a new token, and a request that lost its token can no longer
store its events (``ClaimLost``). A request still running after its lease, then, is refused
at its save rather than stored twice.
"""

import json
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.sqlite import SQLiteDatastore

from peerwork_common.eventstore.datastores import Datastore, datastore_of, mark, table
from peerwork_common.eventstore.idempotent_saves import TABLE, Claim

# Expired rows are purged at most this often, by the claim that comes after.
PURGE_EVERY = timedelta(minutes=5)
# Commands take well under a second; a claim this old without an outcome was cut short.
LEASE = timedelta(seconds=30)


@dataclass(frozen=True)
class FirstRequest:
    """What a key was first used for; ``status`` is None until its answer is kept, and
    ``took_effect`` says whether its events were stored; ``resource``: what it was about
    (the record its path names, or the first it created)."""

    fingerprint: str
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes
    took_effect: bool
    resource: UUID | None


class IdempotentRequests:
    def __init__(self, datastore: Datastore, ttl: timedelta, lease: timedelta = LEASE) -> None:
        self._datastore = datastore
        self._ttl, self._lease = ttl.total_seconds(), lease.total_seconds()
        self._next_purge = 0.0
        self._table, self._mark = table(datastore, TABLE), mark(datastore)

    @classmethod
    def of(
        cls, application: Application[UUID], ttl: timedelta, lease: timedelta = LEASE
    ) -> "IdempotentRequests":
        """The requests kept in ``application``'s database, each for ``ttl``."""
        datastore = datastore_of(application)
        if datastore is None:
            raise TypeError("idempotent requests need SQLite or PostgreSQL persistence")
        return cls(datastore, ttl, lease)

    def claim(
        self, subject: str, key: str, fingerprint: str, resource: UUID | None
    ) -> Claim | FirstRequest:
        """A claim when the key is the caller's to run with now; else what it was first used for."""
        m, now, token = self._mark, time.time(), uuid.uuid4().hex
        expired = f"DELETE FROM {self._table} WHERE created_at < {m}"
        with self._datastore.transaction(commit=True) as cursor:
            if now >= self._next_purge:
                self._next_purge = now + min(self._ttl, PURGE_EVERY.total_seconds())
                cursor.execute(expired, (now - self._ttl,))
            else:  # at least this key's, which runs as new once expired
                this_key = f"{expired} AND subject = {m} AND key = {m}"
                cursor.execute(this_key, (now - self._ttl, subject, key))
            # Unique on (subject, key): of two requests racing with one key, one inserts.
            cursor.execute(
                f"INSERT INTO {self._table} (subject, key, fingerprint, created_at, resource, "
                f"claim, claimed_at) VALUES ({m}, {m}, {m}, {m}, {m}, {m}, {m}) "
                "ON CONFLICT (subject, key) DO NOTHING RETURNING key",
                (subject, key, fingerprint, now, _text(resource), token, now),
            )
            taken = cursor.fetchone() is not None
            if not taken:  # the same request, cut short, is taken over once its lease passed
                cursor.execute(
                    f"UPDATE {self._table} SET claim = {m}, claimed_at = {m} "
                    f"WHERE subject = {m} AND key = {m} AND fingerprint = {m} "
                    "AND status IS NULL AND took_effect IS NULL "
                    f"AND COALESCE(claimed_at, created_at) < {m} RETURNING key",
                    (token, now, subject, key, fingerprint, now - self._lease),
                )
                taken = cursor.fetchone() is not None
            if taken:
                return Claim(subject, key, token)
            cursor.execute(
                f"SELECT fingerprint, status, headers, body, took_effect, resource "
                f"FROM {self._table} WHERE subject = {m} AND key = {m}",
                (subject, key),
            )
            row = cursor.fetchone()
        if row is None:  # released since: in progress a moment ago
            return FirstRequest(fingerprint, None, [], b"", False, None)
        row = dict(row)
        headers = [(name, value) for name, value in json.loads(row["headers"] or "[]")]
        body, about = bytes(row["body"] or b""), row["resource"] and UUID(row["resource"])
        took_effect = bool(row["took_effect"])
        return FirstRequest(row["fingerprint"], row["status"], headers, body, took_effect, about)

    def complete(
        self,
        claim: Claim,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        resource: UUID | None,
    ) -> None:
        """Keeps the answer to the claimed key, for its retries (unless the claim was lost)."""
        m = self._mark
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"UPDATE {self._table} SET status = {m}, headers = {m}, body = {m}, "
                f"resource = COALESCE({m}, resource) "
                f"WHERE subject = {m} AND key = {m} AND claim = {m}",
                (status, json.dumps(headers), body, _text(resource), *_held(claim)),
            )

    def release(self, claim: Claim) -> None:
        """Gives up the claim of a request that failed before it took effect: its retry must
        run. One that took effect stays, and its retries are told so."""
        m = self._mark
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"DELETE FROM {self._table} WHERE subject = {m} AND key = {m} AND claim = {m} "
                "AND took_effect IS NULL",
                _held(claim),
            )

    def forget(self, resource_id: UUID) -> None:
        """Deletes every kept request about ``resource_id`` (its answers may name a person)."""
        with self._datastore.transaction(commit=True) as cursor:
            if isinstance(self._datastore, SQLiteDatastore):
                cursor.execute("PRAGMA secure_delete = ON")  # the deleted bytes are overwritten
            cursor.execute(
                f"DELETE FROM {self._table} WHERE resource = {self._mark}", (str(resource_id),)
            )


def _text(resource: UUID | None) -> str | None:
    return None if resource is None else str(resource)


def _held(claim: Claim) -> tuple[str, str, str]:
    return claim.subject, claim.key, claim.token
