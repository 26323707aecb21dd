"""The registry's records as the accompaniment knows them (``registry_records``), as the
releases before migrations made them at each start: on a database they made, nothing."""

from yoyo import step

from peerwork_common.eventstore.schema_migrations import is_postgres


def apply(connection):
    position = "BIGINT" if is_postgres(connection) else "INTEGER"
    cursor = connection.cursor()
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS registry_records "
        f"(id TEXT PRIMARY KEY, kind TEXT NOT NULL, departement TEXT, position {position} NOT NULL)"
    )
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS registry_records_position (name TEXT PRIMARY KEY, position {position} NOT NULL)"
    )


steps = [step(apply)]
