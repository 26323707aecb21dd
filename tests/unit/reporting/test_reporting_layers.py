"""Reporting's pure code (events into views, views into figures, what may be published, releases)
imports no database driver, even through another module: each package is imported alone,
in a fresh interpreter, and what it loaded is looked at."""

import pkgutil
import subprocess
import sys

import pytest

import peerwork_reporting
import peerwork_reporting.ports

PURE = ("projection", "reads", "disclosure", "report", "releases")
DRIVERS = {"sqlite3", "_sqlite3", "psycopg", "psycopg_pool"}
LOADED = "import importlib, sys; importlib.import_module(sys.argv[1]); print(*sorted(sys.modules))"


def _modules(package: str) -> list[str]:
    path = [f"{peerwork_reporting.__path__[0]}/{package}"]
    names = [f"peerwork_reporting.{package}.{m.name}" for m in pkgutil.iter_modules(path)]
    assert names, f"no module in {package}"
    return names


def _loaded(module: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", LOADED, module], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize(
    "module", [*(m for package in PURE for m in _modules(package)), peerwork_reporting.ports.__name__]
)
def test_a_pure_module_imports_no_database_driver(module: str) -> None:
    assert _loaded(module) & DRIVERS == set()


def test_the_drivers_are_seen_where_they_are_imported() -> None:
    assert {"sqlite3", "psycopg"} <= _loaded("peerwork_reporting.storage.locations")
