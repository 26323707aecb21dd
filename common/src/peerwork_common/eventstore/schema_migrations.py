"""The tables a service owns (not eventsourcing's: stored events, tracking and snapshots stay
the library's), made and changed by versioned migrations, applied at start and by each
service's ``migrate`` command.

Why yoyo-migrations rather than Alembic: the services write raw SQL for SQLite and
PostgreSQL and use no ORM; yoyo takes migrations as SQL (or a Python step where the two
databases differ), records those applied in the database itself, and has its own lock
against two processes migrating at once. Alembic would bring SQLAlchemy for this alone.

Each migration's id is its file's name, so that those of common (``migrations/``, beside
this module) and a service's own folder live in one record: prefix a file with who owns it.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from eventsourcing.postgres import PostgresDatastore
from yoyo import get_backend, read_migrations

from peerwork_common.eventstore.datastores import Datastore

COMMON = Path(__file__).parent / "migrations"
RECORD = "_yoyo_migration"
# yoyo's own tables, beside those migrated: no service's data (a rebuild compares none).
YOYO_TABLES = frozenset({RECORD, "_yoyo_log", "_yoyo_version", "yoyo_lock"})
# A replica waits this long (seconds) for another one's migrations before it gives up.
WAIT_FOR_OTHERS = 120


def migrate(datastore: Datastore, *folders: Path) -> list[str]:
    """Applies the migrations of common and of ``folders`` that the database lacks; the ids
    of those applied (none: it was up to date)."""
    return migrate_database(_uri(datastore), COMMON, *folders)


def migrate_database(uri: str, *folders: Path) -> list[str]:
    """Applies the migrations of ``folders`` that the database at ``uri`` (yoyo's form:
    ``sqlite_uri``, ``postgres_uri``) lacks; the ids of those applied."""
    migrations = read_migrations(*(str(folder) for folder in folders))
    backend = get_backend(uri, migration_table=RECORD)
    try:
        # Replicas starting together: one holds yoyo's lock (a row of its table ``yoyo_lock``)
        # and migrates; the others wait for it, then find nothing left to apply.
        with backend.lock(timeout=WAIT_FOR_OTHERS):
            pending = backend.to_apply(migrations)
            backend.apply_migrations(pending)
    finally:
        backend.connection.close()
    return [migration.id for migration in pending]


def _uri(datastore: Datastore) -> str:
    if not isinstance(datastore, PostgresDatastore):
        return sqlite_uri(datastore.pool.db_name)
    return postgres_uri(datastore.pool.kwargs, datastore.schema)


def sqlite_uri(path: object) -> str:
    return f"sqlite:///{path}"


def postgres_uri(params: Mapping[str, Any], schema: str) -> str:
    """``params``: psycopg's connection parameters (``user``, ``dbname``, ``host``, ``port``,
    ``password`` if any); ``schema``: where the tables and yoyo's record are."""
    login = quote(str(params["user"]), safe="")
    if params.get("password"):
        login += ":" + quote(str(params["password"]), safe="")
    # The host in the query, as psycopg takes it: it may be a socket's directory.
    where = urlencode({**{key: params[key] for key in ("host", "port") if params.get(key)}, "schema": schema})
    return f"postgresql+psycopg://{login}@/{quote(str(params['dbname']), safe='')}?{where}"


def migrate_command(*opened: Any) -> int:
    """``python -m peerwork_<service> migrate``: opening the application (or each of a
    service's stores) migrated its database (``WriteApplication``); says what that applied."""
    applied = [migration for each in opened for migration in each.migrated]
    for each in opened:
        each.close()
    print(f"applied {', '.join(applied)}" if applied else "up to date")
    return 0


def is_postgres(connection: object) -> bool:
    """For a migration's Python step, where the two databases' SQL differs."""
    return type(connection).__module__.startswith("psycopg")
