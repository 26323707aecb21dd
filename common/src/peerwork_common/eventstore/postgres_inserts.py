"""The PostgreSQL process recorder, storing a save's events without psycopg's pipeline mode.

eventsourcing 9.5's ``PostgresApplicationRecorder.insert_events`` sends the save's statements
in pipeline mode. With psycopg 3.3.9 (C or Python implementation) a pipeline whose statements
exceed the socket's buffers, as the import's 500 rows of a transaction do (about 1 MB), hangs
for ever: ``_pipeline_communicate`` stops once its commands are handed to libpq, whatever
``PQflush`` leaves unsent, and waits for results the server cannot send (it waits in
``ClientRead`` for the rest, holding the events table's lock). Measured here: one INSERT of
500 events of 900 bytes in a pipeline hung in 1 run of 4, of 600 events in every run; the same
statements outside a pipeline never hung in 20 runs. Outside a pipeline a save costs a round
trip per statement (three or four, under a millisecond each on a local socket) instead of one.
"""

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresProcessRecorder
from eventsourcing.utils import retry


class PostgresRecorder(PostgresProcessRecorder):
    """Stores a save's events, and what ``_insert_events`` adds (tracking, keys, outcomes),
    in one transaction of plain statements."""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.get_connection() as connection, connection.transaction():
            with connection.cursor() as cursor:
                self._insert_events(cursor, stored_events, **kwargs)
            if not stored_events:
                return None
            with connection.cursor() as cursor:
                self._insert_stored_events(cursor, stored_events, **kwargs)
                return self._fetch_ids_after_insert_events(cursor, stored_events, **kwargs)
