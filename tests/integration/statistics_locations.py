"""Where the statistics tests open their stores: a SQLite file, or a schema of the
embedded PostgreSQL server (``postgres_env``), unique to the test."""

from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
from psycopg.conninfo import make_conninfo

from peerwork_reporting.ports import Location
from peerwork_reporting.storage.postgres import PostgresSchema
from peerwork_reporting.storage.sqlite import SqliteFile

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_schema(env: dict[str, str], name: str) -> PostgresSchema:
    conninfo = make_conninfo(
        host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user="postgres", dbname="postgres"
    )
    return PostgresSchema(conninfo, name)


def locations(request: pytest.FixtureRequest, directory: Path) -> Callable[[str], Location]:
    """The location of this test's store called ``name``, for the kind ``request.param``."""
    if request.param == "sqlite":
        return lambda name: SqliteFile(directory / f"{name}.sqlite")
    env = request.getfixturevalue("postgres_env")
    prefix = f"test_{uuid4().hex[:12]}"
    return lambda name: postgres_schema(env, f"{prefix}_{name}")
