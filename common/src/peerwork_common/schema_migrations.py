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

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from eventsourcing.postgres import PostgresDatastore
from yoyo import get_backend, read_migrations

from .datastores import CREATING_TABLES, Datastore

COMMON = Path(__file__).parent / "migrations"
RECORD = "_yoyo_migration"
# A replica waits this long (seconds) for another one's migrations before it gives up.
WAIT_FOR_OTHERS = 120


def migrate(datastore: Datastore, *folders: Path) -> list[str]:
    """Applies the migrations of common and of ``folders`` that the database lacks; the ids
    of those applied (none: it was up to date)."""
    migrations = read_migrations(*(str(folder) for folder in (COMMON, *folders)))
    with _one_at_a_time(datastore):
        backend = get_backend(_uri(datastore), migration_table=RECORD)
        try:
            with backend.lock(timeout=WAIT_FOR_OTHERS):
                pending = backend.to_apply(migrations)
                backend.apply_migrations(pending)
        finally:
            backend.connection.close()
    return [migration.id for migration in pending]


@contextmanager
def _one_at_a_time(datastore: Datastore) -> Iterator[None]:
    """On PostgreSQL, yoyo's first run creates its own tables with ``IF NOT EXISTS``, which
    replicas starting together would race on (the loser gets a unique violation in the
    catalogue): the advisory lock the event store's tables are created under comes first,
    and is let go if the process dies, where yoyo's lock row would stay."""
    if not isinstance(datastore, PostgresDatastore):
        yield  # SQLite writes one at a time, and yoyo's lock does the rest
        return
    with datastore.get_connection() as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (CREATING_TABLES,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (CREATING_TABLES,))


def _uri(datastore: Datastore) -> str:
    if not isinstance(datastore, PostgresDatastore):
        return f"sqlite:///{datastore.pool.db_name}"
    kwargs = datastore.pool.kwargs
    user, password = quote(str(kwargs["user"]), safe=""), quote(str(kwargs["password"]), safe="")
    # The host in the query, as psycopg takes it: it may be a socket's directory.
    where = urlencode({"host": kwargs["host"], "port": kwargs["port"], "schema": datastore.schema})
    return f"postgresql+psycopg://{user}:{password}@/{quote(str(kwargs['dbname']), safe='')}?{where}"


def migrate_command(application: Any) -> int:
    """``python -m peerwork_<service> migrate``: opening the application migrated its
    database (``WriteApplication``); says what that applied."""
    applied = application.migrated
    application.close()
    print(f"applied {', '.join(applied)}" if applied else "up to date")
    return 0


def is_postgres(connection: object) -> bool:
    """For a migration's Python step, where the two databases' SQL differs."""
    return type(connection).__module__.startswith("psycopg")
