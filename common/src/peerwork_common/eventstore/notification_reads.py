"""The notification log read without the events of some topics, left out by the database.

eventsourcing's ``select_notifications(topics=...)`` only reads the topics named. The relay
needs the opposite: every notification but those of the topics known to stay in the service,
so that one of a topic it does not know (written by a newer replica) is still read, and
stops it. Building a ``Notification`` for each legal basis, to let it go, was half the
relay's reading in the bench (one for each registration).
"""

from collections.abc import Collection

from eventsourcing.persistence import InterfaceError, Notification, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier


class SQLiteNotificationReads(SQLiteApplicationRecorder):
    def select_notifications_except(
        self, start: int, limit: int, topics: Collection[str]
    ) -> tuple[list[Notification], int]:
        """The notifications from ``start`` on (at most ``limit``) but those of ``topics``, and
        the id of the last notification the read went over: the last one returned, or the
        log's last when it returned fewer (those left out after the last returned included)."""
        leaving_out = f"AND topic NOT IN ({','.join('?' * len(topics))}) " if topics else ""
        with self.datastore.transaction(commit=False) as cursor:
            # The log's end first: every notification up to it is stored, as the read sees them.
            cursor.execute(self.select_max_notification_id_statement)
            last = cursor.fetchone()[0] or 0
            cursor.execute(
                f"SELECT rowid, * FROM {self.events_table_name} WHERE rowid>=? AND rowid<=? {leaving_out}"
                "ORDER BY rowid LIMIT ?",
                (start, last, *topics, limit),
            )
            notifications = [
                Notification(
                    id=row["rowid"],
                    originator_id=self.convert_originator_id(row["originator_id"]),
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in cursor.fetchall()
            ]
        return notifications, _went_over(notifications, limit, start, last)


class PostgresNotificationReads(PostgresApplicationRecorder):
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as select_notifications
    def select_notifications_except(
        self, start: int, limit: int, topics: Collection[str]
    ) -> tuple[list[Notification], int]:
        """As ``SQLiteNotificationReads.select_notifications_except``."""
        table = SQL("{schema}.{table}").format(
            schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name)
        )
        with self.datastore.get_connection() as connection, connection.transaction(), connection.cursor() as cursor:
            # The log's end first: inserts are serialised (eventsourcing locks the table), so
            # every notification up to the last one visible is committed.
            cursor.execute(self.max_notification_id_statement)
            last = cursor.fetchone()["max"] or 0
            cursor.execute(
                SQL("SELECT * FROM {table} WHERE notification_id >= %s AND notification_id <= %s "
                    "AND topic <> ALL(%s::text[]) ORDER BY notification_id LIMIT %s").format(table=table),
                (start, last, list(topics), limit), prepare=True,
            )
            notifications = [
                Notification(
                    id=row["notification_id"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in cursor.fetchall()
            ]
        return notifications, _went_over(notifications, limit, start, last)


def _went_over(notifications: list[Notification], limit: int, start: int, last: int) -> int:
    if len(notifications) == limit:
        return notifications[-1].id
    return max(last, start - 1)
