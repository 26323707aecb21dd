"""The releases, in a database of their own beside the views (``<store>-releases.sqlite``,
or the schema ``<schema>_releases``): a rebuild replaces the views, never what was
published from them."""

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..ports import Location, ReleaseVersion

MIGRATIONS = Path(__file__).parents[1] / "migrations" / "releases"


class ReleaseStore:
    def __init__(self, location: Location) -> None:
        self._storage = location.open(MIGRATIONS, durable=True)
        self.migrated = self._storage.migrated  # ``python -m peerwork_reporting migrate``
        self._known: tuple[int, dict[date, list[ReleaseVersion]]] = (0, {})  # count, versions

    def close(self) -> None:
        self._storage.close()

    def versions(self) -> dict[date, list[ReleaseVersion]]:
        # Versions are only ever added (here, or by another replica on the same database):
        # their count tells whether those read last are still all of them. Reading them
        # all again was an eighth of a release's read.
        with self._storage.snapshot() as cursor:
            (count,) = cursor.execute("SELECT COUNT(*) FROM releases").fetchone()
            if self._known[0] != count:
                self._known = (count, _versions(cursor))
        return {day: list(made) for day, made in self._known[1].items()}

    def figures(self, day: date, version: int) -> tuple[dict[str, Any], dict[str, Any]]:
        with self._storage.snapshot() as cursor:
            published, exact = cursor.execute(
                "SELECT published, exact FROM releases WHERE day = ? AND version = ?",
                (day.isoformat(), version),
            ).fetchone()
        return json.loads(published), json.loads(exact)

    def answer(self, day: date, version: int, key: str) -> Any:
        with self._storage.snapshot() as cursor:
            row = cursor.execute(
                "SELECT answer FROM release_answers WHERE day = ? AND version = ? AND key = ?",
                (day.isoformat(), version, key),
            ).fetchone()
        return None if row is None else json.loads(row[0])

    def add(
        self, version: ReleaseVersion, answers: dict[str, Any], published: dict[str, Any], exact: dict[str, Any]
    ) -> None:
        """The version and its answers in one transaction: never half a release."""
        day = version.day.isoformat()
        with self._storage.transaction() as cursor:
            cursor.execute(
                "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?)",
                (day, version.version, version.published_at.isoformat(), json.dumps(version.moved),
                 json.dumps(published), json.dumps(exact)),
            )
            cursor.executemany(
                "INSERT INTO release_answers VALUES (?, ?, ?, ?)",
                [(day, version.version, key, json.dumps(answer)) for key, answer in answers.items()],
            )


def _versions(cursor: Any) -> dict[date, list[ReleaseVersion]]:
    rows = cursor.execute("SELECT day, version, published_at, moved FROM releases ORDER BY day, version").fetchall()
    versions: dict[date, list[ReleaseVersion]] = {}
    for day, version, published_at, moved in rows:
        day = date.fromisoformat(day)
        versions.setdefault(day, []).append(
            ReleaseVersion(day, version, datetime.fromisoformat(published_at), json.loads(moved))
        )
    return versions
