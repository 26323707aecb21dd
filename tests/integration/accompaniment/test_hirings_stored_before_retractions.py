"""Events stored before hirings could be retracted, read back by this version (SQLite, the
stored state rewritten as version 1 of each event held it): a retraction is one of no
hiring, published as in contracts 1.3; an employment recorded from a hiring is not known
as one, so staff may cancel it in the registry as before (deploy/README.md says so)."""

import json
import sqlite3
from datetime import date
from pathlib import Path
from uuid import uuid4

from eventsourcing.persistence import Tracking

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.publication import to_contract
from peerwork_registry.application import Registry
from tests.helpers import CONSENT

NEW_FIELDS = {"class_version", "hiring_id", "peer_worker_id", "accompaniment_id"}


def on_sqlite(path: Path) -> dict[str, str]:
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


def as_version_1(path: Path, topic: str) -> None:
    """Rewrites the stored events of ``topic`` as version 1 held them: no class version, none
    of the fields added since."""
    with sqlite3.connect(path) as connection:
        for rowid, state in connection.execute(f"SELECT rowid, state FROM stored_events WHERE topic LIKE '%{topic}'").fetchall():
            version_1 = {key: value for key, value in json.loads(state).items() if key not in NEW_FIELDS}
            connection.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (json.dumps(version_1).encode(), rowid))


def test_a_retraction_stored_before_is_of_no_hiring_and_publishes_as_in_1_3(tmp_path):
    path = tmp_path / "a.sqlite"
    application = Accompaniments(env=on_sqlite(path))
    accompaniment_id = application.open_accompaniment(uuid4(), "38", "structure", "une demande", date(2022, 1, 3))
    application.reach_milestone(accompaniment_id, "team_awareness", date(2022, 2, 1))
    application.retract_milestone(accompaniment_id, "team_awareness", "Erreur")
    application.close()
    as_version_1(path, "MilestoneRetracted")

    application = Accompaniments(env=on_sqlite(path))
    retracted, _ = application.history(accompaniment_id)[-1]
    assert (retracted.hiring_id, retracted.peer_worker_id) == (None, None)
    payload = to_contract(retracted, 3).payload.model_dump_json()
    assert "hiring_id" not in payload and "peer_worker_id" not in payload
    application.close()


def test_an_employment_recorded_from_a_hiring_before_is_not_known_as_one(tmp_path):
    path = tmp_path / "r.sqlite"
    registry = Registry(env=on_sqlite(path))
    structure_id = registry.register_structure("Relais", None, "38", "addiction", date(2020, 1, 1))
    peer_worker_id = registry.register_peer_worker("Anne", "38", ["addiction"], date(2021, 1, 1), legal_basis=CONSENT)
    hirings = [uuid4(), uuid4()]
    for position, hiring_id in enumerate(hirings, start=1):
        registry.record_hiring(
            Tracking("accompaniment", position), hiring_id=hiring_id, peer_worker_id=peer_worker_id,
            structure_id=structure_id, starts_on=date(2022, position, 1), new_peer_worker=None,
            accompaniment_id=uuid4(),
        )
        registry.end_employment(peer_worker_id, hiring_id, date(2022, position, 15))
    registry.close()
    as_version_1(path, "EmploymentRecorded")

    registry = Registry(env=on_sqlite(path))
    employments = registry.get_peer_worker(peer_worker_id).employments
    assert [employments[hiring_id].accompaniment_id for hiring_id in hirings] == [None, None]
    registry.cancel_employment(peer_worker_id, hirings[0], "recorded by mistake")
    # Its accompaniment's retraction, coming later, still cancels the other.
    registry.retract_hiring(
        Tracking("accompaniment", 3), hiring_id=hirings[1], peer_worker_id=peer_worker_id, accompaniment_id=uuid4()
    )
    assert registry.get_peer_worker(peer_worker_id).employments == {}
    registry.close()
