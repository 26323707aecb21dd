"""The write requests made with an ``Idempotency-Key`` (``idempotency``), and their answers.

Kept in the service's own database, through its event store's connections (SQLite or
PostgreSQL), in one table created at start-up; a row per caller and key, claimed before the
command runs, completed with its answer, and purged once expired.
"""

import json
import time
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from .datastores import Datastore, create_tables, datastore_of, mark, table

# Expired rows are purged at most this often, by the claim that comes after.
PURGE_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class FirstRequest:
    """What a key was first used for; ``status`` is None until its answer is kept."""

    fingerprint: str
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes


class IdempotentRequests:
    def __init__(self, datastore: Datastore, ttl: timedelta) -> None:
        self._datastore = datastore
        self._ttl = ttl.total_seconds()
        self._next_purge = 0.0
        self._table, self._mark = table(datastore, "idempotent_requests"), mark(datastore)

    @classmethod
    def of(cls, application: Application[UUID], ttl: timedelta) -> "IdempotentRequests":
        """The requests kept in ``application``'s database, each for ``ttl``."""
        datastore = datastore_of(application)
        if datastore is None:
            raise TypeError("idempotent requests need SQLite or PostgreSQL persistence")
        requests = cls(datastore, ttl)
        requests.create_table()
        return requests

    def create_table(self) -> None:
        postgres = isinstance(self._datastore, PostgresDatastore)
        moment, data = ("DOUBLE PRECISION", "BYTEA") if postgres else ("REAL", "BLOB")  # Unix seconds
        create_tables(
            self._datastore,
            f"CREATE TABLE IF NOT EXISTS {self._table} (subject TEXT NOT NULL, "
            f"key TEXT NOT NULL, fingerprint TEXT NOT NULL, created_at {moment} NOT NULL, "
            f"resource TEXT, status INTEGER, headers TEXT, body {data}, "
            "PRIMARY KEY (subject, key))",
            *(
                f"CREATE INDEX IF NOT EXISTS idempotent_requests_{column} ON {self._table} ({column})"
                for column in ("created_at", "resource")
            ),
        )

    def claim(
        self, subject: str, key: str, fingerprint: str, resource: UUID | None
    ) -> FirstRequest | None:
        """None when the key is the caller's to run with now; else what it was first used for."""
        m, now = self._mark, time.time()
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
                f"INSERT INTO {self._table} (subject, key, fingerprint, created_at, resource) "
                f"VALUES ({m}, {m}, {m}, {m}, {m}) "
                "ON CONFLICT (subject, key) DO NOTHING RETURNING key",
                (subject, key, fingerprint, now, _text(resource)),
            )
            if cursor.fetchone() is not None:
                return None
            cursor.execute(
                f"SELECT fingerprint, status, headers, body FROM {self._table} "
                f"WHERE subject = {m} AND key = {m}",
                (subject, key),
            )
            row = cursor.fetchone()
        if row is None:  # released since: in progress a moment ago
            return FirstRequest(fingerprint, None, [], b"")
        row = dict(row)
        headers = [(name, value) for name, value in json.loads(row["headers"] or "[]")]
        return FirstRequest(row["fingerprint"], row["status"], headers, bytes(row["body"] or b""))

    def complete(
        self,
        subject: str,
        key: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        resource: UUID | None,
    ) -> None:
        """Keeps the answer to the claimed key, for its retries."""
        m = self._mark
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"UPDATE {self._table} SET status = {m}, headers = {m}, body = {m}, resource = {m} "
                f"WHERE subject = {m} AND key = {m}",
                (status, json.dumps(headers), body, _text(resource), subject, key),
            )

    def release(self, subject: str, key: str) -> None:
        """Gives up the claim: the command failed, and its retry must run."""
        m = self._mark
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"DELETE FROM {self._table} WHERE subject = {m} AND key = {m}", (subject, key)
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
