"""Which of many records the event store holds, asked in one query.

An import looks up each row's record (to find it imported before) and what the row names
(an employment's structure and peer worker, a structure's SIRET and name claims). Asked one
by one, as ``Repository.get`` does, that is a read transaction of three statements a row,
each giving up the GIL to SQLite and waiting to get it back from the relay publishing in
the event loop: 40% of the import thread's time in the bench's import stage (py-spy,
10,000 new peer workers), for 7% of the GIL's. Asked once a batch, the records found are
then read as before, and the others are known absent without a query.
"""

from collections.abc import Collection
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore

from peerwork_common.eventstore.datastores import datastore_of

from ..application import Registry

_IDS_A_QUERY = 500  # well under SQLite's limit of variables a statement (999 before 3.32)


def stored_among(registry: Registry, ids: Collection[UUID]) -> set[UUID] | None:
    """Those of ``ids`` that have events in ``registry``'s store; None when the store is not
    a database (eventsourcing's in-memory persistence): then nothing is known absent."""
    datastore = datastore_of(registry)
    if datastore is None:
        return None
    table = registry.recorder.events_table_name  # type: ignore[attr-defined]
    wanted = list(ids)
    found: set[UUID] = set()
    with datastore.transaction(commit=False) as cursor:
        for start in range(0, len(wanted), _IDS_A_QUERY):
            chunk = wanted[start : start + _IDS_A_QUERY]
            if isinstance(datastore, PostgresDatastore):
                uuid = datastore.originator_id_type == "uuid"
                cursor.execute(
                    f"SELECT DISTINCT originator_id FROM {datastore.schema}.{table} WHERE originator_id = ANY(%s)",
                    ([i if uuid else str(i) for i in chunk],),
                )
                found.update(UUID(str(row["originator_id"])) for row in cursor.fetchall())
            else:
                # eventsourcing's SQLite recorder stores an id as its 32 hex digits.
                cursor.execute(
                    f"SELECT DISTINCT originator_id FROM {table} WHERE originator_id IN ({','.join('?' * len(chunk))})",
                    [i.hex for i in chunk],
                )
                found.update(UUID(row["originator_id"]) for row in cursor.fetchall())
    return found
