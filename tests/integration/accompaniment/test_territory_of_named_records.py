"""The accompaniment's commands that name a record of the registry by id (a partner
structure, a peer worker), by staff confined to a territory, over real HTTP: a record
outside the territory is refused with 403 and nothing is stored, as a move out of it is.
The accompaniment knows the registry's records from its events (``registry_records``);
national staff are not checked, as before."""

import json
import sqlite3
from datetime import date
from uuid import UUID, uuid4

import httpx
import pytest

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.publication import to_contract
from peerwork_accompaniment.registry_records import RegistryRecords
from tests.helpers import accompaniment_app
from tests.integration.registry_events import (
    peer_worker_erased,
    peer_worker_moved,
    peer_worker_registered,
    structure_registered,
)
from tests.integration.test_territory import ISERE, NATIONAL, on_sqlite, served, stored

OUTSIDE = "is outside the territory of the token of 'isère' (départements: 38)"


@pytest.fixture
def accompaniment(tmp_path):
    with served(Accompaniments(env=on_sqlite(tmp_path / "a.sqlite")), accompaniment_app) as (application, api):
        yield application, api, RegistryRecords.of(application)


def given(records: RegistryRecords, *events) -> None:  # noqa: ANN002
    """The registry's events, as the accompaniment's consumer applies them."""
    records.apply(list(events), records.last_sequence() + len(events))


def open_for(api: httpx.Client, structure, headers: dict[str, str]) -> httpx.Response:  # noqa: ANN001
    return api.post("/accompaniments", headers=headers, json={
        "structure_id": str(structure), "departement": "38", "channel": "structure",
        "request": "une demande", "requested_on": "2022-01-03",
    })


def hire(api: httpx.Client, accompaniment: str, peer_worker, headers: dict[str, str]) -> httpx.Response:  # noqa: ANN001
    return api.post(f"/accompaniments/{accompaniment}/milestones", headers=headers, json={
        "milestone": "peer_worker_hired", "occurred_on": "2022-02-01", "peer_worker_id": str(peer_worker),
    })


def test_an_accompaniment_of_a_structure_outside_the_territory_is_refused(accompaniment):
    application, api, records = accompaniment
    paris, grenoble, unheard_of = uuid4(), uuid4(), uuid4()
    given(records, structure_registered(paris, "75"), structure_registered(grenoble, "38"))
    before = stored(application)
    refused = open_for(api, paris, ISERE)  # the accompaniment in Isère, the structure in Paris
    assert (refused.status_code, refused.json()) == (403, {"detail": f"partner structure {paris} {OUTSIDE}"})
    # A structure not known here is refused whatever the token's scope
    # (tests/integration/accompaniment/test_structure_references.py).
    for headers in (ISERE, NATIONAL):
        not_yet = open_for(api, unheard_of, headers)
        assert not_yet.status_code == 422
        assert not_yet.json()["detail"].startswith(f"partner structure {unheard_of} is not known to this service")
    assert stored(application) == before
    assert open_for(api, grenoble, ISERE).status_code == 201


def test_a_record_not_known_yet_is_worth_retrying_with_the_same_idempotency_key(accompaniment):
    application, api, records = accompaniment
    structure = uuid4()
    retried = {**ISERE, "Idempotency-Key": "open-once"}
    not_yet = open_for(api, structure, retried)
    assert (not_yet.status_code, not_yet.headers["Retry-After"]) == (422, "2")
    given(records, structure_registered(structure, "38"))  # the registry's event comes
    opened = open_for(api, structure, retried)
    assert opened.status_code == 201, opened.text
    assert open_for(api, structure, retried).json() == opened.json()  # kept, this time


def test_a_hiring_of_a_peer_worker_outside_the_territory_is_refused(accompaniment):
    application, api, records = accompaniment
    structure, paris, moved, erased, unheard_of = (uuid4() for _ in range(5))
    given(
        records,
        structure_registered(structure, "38"),
        peer_worker_registered(paris, "75"),
        peer_worker_registered(moved, "75"),
        peer_worker_moved(moved, ("75", "38"), 2),
        peer_worker_registered(erased, "38"),
        peer_worker_erased(erased, 2),
    )
    accompaniment_id = open_for(api, structure, ISERE).json()["id"]
    before = stored(application)
    refused = hire(api, accompaniment_id, paris, ISERE)
    # Without the département: Isère's staff are not to learn where the person is.
    assert (refused.status_code, refused.json()) == (403, {"detail": f"peer worker {paris} {OUTSIDE}"})
    assert hire(api, accompaniment_id, unheard_of, ISERE).status_code == 409
    assert hire(api, accompaniment_id, erased, ISERE).status_code == 410
    assert stored(application) == before
    assert api.get(f"/accompaniments/{accompaniment_id}", headers=ISERE).json()["timeline"] == []

    # Each hiring records the territory it was checked against, for the registry to check again.
    for headers, territory in ((ISERE, ("38",)), (NATIONAL, None)):
        assert hire(api, accompaniment_id, moved, headers).status_code == 201
        domain_event, _ = application.history(UUID(accompaniment_id))[-1]
        assert to_contract(domain_event, 1).payload.territory == territory
    assert hire(api, accompaniment_id, paris, NATIONAL).status_code == 201


def test_an_enrolment_of_a_peer_worker_or_structure_outside_the_territory_is_refused(accompaniment):
    application, api, records = accompaniment
    paris, grenoble, structure_in_paris, unheard_of = uuid4(), uuid4(), uuid4(), uuid4()
    given(
        records,
        peer_worker_registered(paris, "75"),
        peer_worker_registered(grenoble, "38"),
        structure_registered(structure_in_paris, "75"),
    )
    # Sessions are open to all: one in Lyon, scheduled by Isère's staff.
    session = api.post("/training-sessions", headers=ISERE, json={
        "title": "Rencontre des pairs", "kind": "collective_peer_meeting", "audience": "mixed",
        "departement": "69", "starts_on": "2022-05-02", "duration_hours": 3, "capacity": 10,
        "scheduled_on": "2022-04-01",
    }).json()["id"]
    before = stored(application)
    for body, status, detail in [
        ({"peer_worker_id": str(paris)}, 403, f"peer worker {paris} {OUTSIDE}"),
        ({"structure_id": str(structure_in_paris), "seats": 2}, 403, f"partner structure {structure_in_paris} {OUTSIDE}"),
        ({"peer_worker_id": str(unheard_of)}, 409, None),
    ]:
        response = api.post(f"/training-sessions/{session}/enrolments", headers=ISERE,
                            json={**body, "enrolled_on": "2022-04-02"})
        assert response.status_code == status, body
        assert detail is None or response.json() == {"detail": detail}
    assert stored(application) == before
    enrolment = {"peer_worker_id": str(grenoble), "enrolled_on": "2022-04-02"}
    assert api.post(f"/training-sessions/{session}/enrolments", headers=ISERE, json=enrolment).status_code == 201


def test_a_hiring_stored_before_territories_were_recorded_reads_as_national(tmp_path):
    path = tmp_path / "a.sqlite"
    application = Accompaniments(env=on_sqlite(path))
    accompaniment_id = application.open_accompaniment(
        uuid4(), "38", "structure", "une demande", date(2022, 1, 3)
    )
    application.record_hiring(
        accompaniment_id, date(2022, 2, 1), peer_worker_id=uuid4(), territory=frozenset({"38"})
    )
    application.close()
    # As version 1 of the event stored it: no territory, no class version.
    with sqlite3.connect(path) as connection:
        [(rowid, state)] = connection.execute(
            "SELECT rowid, state FROM stored_events WHERE topic LIKE '%PeerWorkerHired'"
        )
        version_1 = {
            key: value for key, value in json.loads(state).items() if key not in ("territory", "class_version")
        }
        connection.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (json.dumps(version_1).encode(), rowid)
        )
    application = Accompaniments(env=on_sqlite(path))
    domain_event, _ = application.history(accompaniment_id)[-1]
    assert to_contract(domain_event, 2).payload.territory is None
    assert application.get_accompaniment(accompaniment_id).hirings[0].occurred_on == date(2022, 2, 1)
    application.close()
