"""The tables common owns, as the releases before migrations made them at each start (so
on a database they made, this changes nothing): the audit log of reads, the idempotent
requests, the personal data keys, and (SQLite) the erasures pending."""

from yoyo import step

from peerwork_common.eventstore.schema_migrations import is_postgres


def apply(connection):
    postgres = is_postgres(connection)
    moment, data = ("DOUBLE PRECISION", "BYTEA") if postgres else ("REAL", "BLOB")  # Unix seconds
    audit_id, audit_time = ("BIGINT GENERATED ALWAYS AS IDENTITY", "TIMESTAMPTZ") if postgres else ("INTEGER", "TEXT")
    later = {"claim": "TEXT", "claimed_at": moment, "took_effect": "INTEGER"}
    cursor = connection.cursor()
    for statement in (
        (
            f"CREATE TABLE IF NOT EXISTS audit_reads (id {audit_id} PRIMARY KEY, at {audit_time} NOT NULL, "
            "subject TEXT NOT NULL, record_id TEXT NOT NULL, record_kind TEXT NOT NULL, request_id TEXT)"
        ),
        "CREATE INDEX IF NOT EXISTS audit_reads_record ON audit_reads (record_id)",
        (
            "CREATE TABLE IF NOT EXISTS idempotent_requests (subject TEXT NOT NULL, "
            f"key TEXT NOT NULL, fingerprint TEXT NOT NULL, created_at {moment} NOT NULL, "
            f"resource TEXT, status INTEGER, headers TEXT, body {data}, "
            + "".join(f"{column} {kind}, " for column, kind in later.items())
            + "PRIMARY KEY (subject, key))"
        ),
        # A table the first release made lacks its later columns.
        *(
            f"ALTER TABLE idempotent_requests ADD COLUMN {'IF NOT EXISTS ' if postgres else ''}{column} {kind}"
            for column, kind in later.items()
            if postgres or column in _missing(cursor, later)
        ),
        "CREATE INDEX IF NOT EXISTS idempotent_requests_created_at ON idempotent_requests (created_at)",
        "CREATE INDEX IF NOT EXISTS idempotent_requests_resource ON idempotent_requests (resource)",
        f"CREATE TABLE IF NOT EXISTS personal_data_keys (owner_id TEXT PRIMARY KEY, key {data} NOT NULL)",
        # Only SQLite keeps what was deleted in a log to empty (``personal_data_erasure``).
        *(() if postgres else (
            "CREATE TABLE IF NOT EXISTS personal_data_erasures (owner_id TEXT PRIMARY KEY, requested_at TEXT NOT NULL)",
        )),
    ):
        cursor.execute(statement)


def _missing(cursor, columns):
    """Of ``columns``, those the SQLite table lacks (none if there is no table yet)."""
    cursor.execute("PRAGMA table_info(idempotent_requests)")
    present = {row[1] for row in cursor.fetchall()}
    return set(columns) - present if present else set()


steps = [step(apply)]
