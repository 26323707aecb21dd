"""Reporting's views (``projection``) and the positions applied, as the releases before
migrations made them when a store was opened: on a store they made, nothing. On
PostgreSQL, ``store_in_use`` too: in the configured schema, it names the schema of the
last rebuild switched to (``storage.postgres``); in others it stays empty."""

from yoyo import step

from peerwork_common.eventstore.schema_migrations import is_postgres

VIEWS = """
CREATE TABLE IF NOT EXISTS applied_positions (
    source TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS parked_messages (
    sequence BIGINT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS structure_spells (
    structure_id TEXT NOT NULL,
    departement TEXT NOT NULL,
    sector TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);
CREATE TABLE IF NOT EXISTS peer_worker_spells (
    peer_worker_id TEXT NOT NULL,
    departement TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);
CREATE TABLE IF NOT EXISTS peer_worker_domains (
    peer_worker_id TEXT NOT NULL,
    domain TEXT NOT NULL,
    PRIMARY KEY (peer_worker_id, domain)
);
CREATE TABLE IF NOT EXISTS employments (
    employment_id TEXT PRIMARY KEY,
    peer_worker_id TEXT NOT NULL,
    structure_id TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);
CREATE INDEX IF NOT EXISTS peer_worker_spells_by_worker ON peer_worker_spells (peer_worker_id);
CREATE INDEX IF NOT EXISTS employments_by_worker ON employments (peer_worker_id);
CREATE TABLE IF NOT EXISTS census_changes (
    day TEXT NOT NULL,
    departement TEXT NOT NULL,
    metric TEXT NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (day, departement, metric)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS census_checkpoints (
    month TEXT NOT NULL,
    departement TEXT NOT NULL,
    metric TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (month, departement, metric)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS census_stale_months (month TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS census_pending (
    day TEXT NOT NULL,
    departement TEXT NOT NULL,
    metric TEXT NOT NULL,
    delta INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS accompaniments (
    accompaniment_id TEXT PRIMARY KEY,
    departement TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    outcome TEXT
);
CREATE TABLE IF NOT EXISTS milestones_reached (
    accompaniment_id TEXT NOT NULL,
    milestone TEXT NOT NULL,
    departement TEXT NOT NULL,
    first_reached_on TEXT NOT NULL,
    PRIMARY KEY (accompaniment_id, milestone)
);
CREATE TABLE IF NOT EXISTS training_sessions (
    session_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    departement TEXT NOT NULL,
    scheduled_on TEXT,
    completed_on TEXT,
    cancelled_on TEXT,
    participants INTEGER,
    hours DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS collective_networks (
    network_id TEXT PRIMARY KEY,
    region TEXT,
    formed_on TEXT NOT NULL,
    ended_on TEXT
);
CREATE TABLE IF NOT EXISTS collective_meetings (
    meeting_id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL,
    held_on TEXT NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    other_participants INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS collective_participants (
    meeting_id TEXT NOT NULL,
    peer_worker_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, peer_worker_id)
);
CREATE INDEX IF NOT EXISTS collective_participants_by_worker ON collective_participants (peer_worker_id);
"""
POINTER = "CREATE TABLE IF NOT EXISTS store_in_use (schema_name TEXT NOT NULL);"


def apply(connection):
    script = VIEWS
    if is_postgres(connection):
        # A SQLite table WITHOUT ROWID is stored in its primary key's order; PostgreSQL's
        # tables are heaps beside their primary key index, and have no such option.
        script = VIEWS.replace(" WITHOUT ROWID", "") + POINTER
    cursor = connection.cursor()
    for statement in script.split(";"):  # SQLite's cursor takes one at a time
        if statement.strip():
            cursor.execute(statement)


steps = [step(apply)]
