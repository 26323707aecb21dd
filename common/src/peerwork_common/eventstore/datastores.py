"""The write services' own tables (audit log, idempotent requests, personal data keys),
kept beside the event store in its database, SQLite or PostgreSQL, through its connections."""

from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

Datastore = SQLiteDatastore | PostgresDatastore

# An advisory lock key of its own ("peerwork" in ASCII), taken to create eventsourcing's tables.
CREATING_TABLES = 0x70656572776F726B


def datastore_of(application: Application[UUID]) -> Datastore | None:
    """The database of ``application``'s event store; None for eventsourcing's in-memory
    persistence."""
    datastore: Any = getattr(application.factory, "datastore", None)
    return datastore if isinstance(datastore, (SQLiteDatastore, PostgresDatastore)) else None


def table(datastore: Datastore, name: str) -> str:
    """``name`` as queries give it: in the service's schema on PostgreSQL."""
    return f"{datastore.schema}.{name}" if isinstance(datastore, PostgresDatastore) else name


def mark(datastore: Datastore) -> str:
    """The parameter placeholder of the database's driver."""
    return "%s" if isinstance(datastore, PostgresDatastore) else "?"
