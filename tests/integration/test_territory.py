"""Staff confined to a territory (the token's ``departements`` and ``regions`` claims), over
real HTTP: they record and see the people of their départements only. A record elsewhere
answers 404 exactly as an unknown id does, and a refused command stores nothing."""

from contextlib import contextmanager
from uuid import uuid4

import httpx
import pytest

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.registry_records import RegistryRecords
from peerwork_registry.application import Registry
from tests.helpers import CONSENT_BODY, ServedApp, accompaniment_app, bearer, registry_app
from tests.integration.registry_events import structure_registered

NATIONAL = bearer("staff", subject="national")
ISERE = bearer("staff", subject="isère", departements=["38"])
AUVERGNE_RHONE_ALPES = bearer("staff", subject="ara", regions=["84"])
ILE_DE_FRANCE = bearer("staff", subject="idf", regions=["11"])
ADMIN_OF_ISERE = bearer("admin", subject="dpo", departements=["38"])


@contextmanager
def served(application, make_app):  # noqa: ANN001, ANN201
    """``application`` behind its HTTP API, and a client of it."""
    with ServedApp(make_app(application)) as served_app, httpx.Client(base_url=served_app.url) as client:
        yield application, client
    application.close()


def on_sqlite(path) -> dict[str, str]:  # noqa: ANN001
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


@pytest.fixture
def registry(tmp_path):
    with served(Registry(env=on_sqlite(tmp_path / "r.sqlite")), registry_app) as both:
        yield both


@pytest.fixture
def accompaniment(tmp_path):
    with served(Accompaniments(env=on_sqlite(tmp_path / "a.sqlite")), accompaniment_app) as both:
        yield both


def register(api: httpx.Client, departement: str, headers: dict[str, str]) -> httpx.Response:
    return api.post("/peer-workers", headers=headers, json={
        "legal_basis": CONSENT_BODY,
        "display_name": "Anne", "departement": departement, "domains": ["addiction"], "registered_on": "2022-01-03",
    })


def stored(application) -> int:
    return application.recorder.max_notification_id() or 0


def test_staff_of_a_departement_register_there_only(registry):
    application, api = registry
    assert register(api, "38", ISERE).status_code == 201
    before = stored(application)
    refused = register(api, "69", ISERE)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "a peer worker in département 69 is outside the territory of the token of 'isère' (départements: 38)"
    )
    assert stored(application) == before


def test_a_peer_worker_elsewhere_answers_as_an_unknown_id_and_takes_no_command(registry):
    application, api = registry
    lyon = register(api, "69", NATIONAL).json()["id"]
    structure = api.post("/structures", headers=NATIONAL, json={"name": "Relais", "departement": "69", "sector": "addiction"}).json()["id"]
    employment = api.post(f"/peer-workers/{lyon}/employments", headers=NATIONAL,
                          json={"structure_id": structure, "starts_on": "2022-02-01"}).json()["id"]
    before = stored(application)

    for peer_worker_id in (lyon, str(uuid4())):  # elsewhere, then unknown: the same answers
        expected = {"detail": f"no peer worker has the id {peer_worker_id}"}
        for method, path, body in [
            ("GET", "", None),
            ("GET", "/employments", None),
            ("POST", "/employments", {"structure_id": structure, "starts_on": "2022-03-01"}),
            ("POST", f"/employments/{employment}/end", {"ends_on": "2022-06-01"}),
            ("POST", "/move", {"departement": "38", "effective_on": "2022-06-01"}),
            ("POST", "/withdraw", {"effective_on": "2022-06-01"}),
        ]:
            response = api.request(method, f"/peer-workers/{peer_worker_id}{path}", headers=ISERE, json=body)
            assert (response.status_code, response.json()) == (404, expected), (method, path)
    assert stored(application) == before
    assert api.get(f"/peer-workers/{lyon}", headers=AUVERGNE_RHONE_ALPES).status_code == 200
    assert api.get(f"/peer-workers/{lyon}", headers=ILE_DE_FRANCE).status_code == 404
    assert api.get(f"/peer-workers/{lyon}", headers=ADMIN_OF_ISERE).status_code == 200


def test_a_move_out_of_the_territory_needs_a_token_that_covers_both(registry):
    _, api = registry
    grenoble = register(api, "38", ISERE).json()["id"]
    move = {"departement": "69", "effective_on": "2023-01-02"}
    assert api.post(f"/peer-workers/{grenoble}/move", headers=ISERE, json=move).status_code == 403
    moved = api.post(f"/peer-workers/{grenoble}/move", headers=AUVERGNE_RHONE_ALPES, json=move)
    assert moved.status_code == 200 and moved.json()["departement"] == "69"
    assert api.get(f"/peer-workers/{grenoble}", headers=ISERE).status_code == 404


def test_an_employment_at_a_structure_outside_the_territory_is_refused(registry):
    application, api = registry
    grenoble = register(api, "38", ISERE).json()["id"]
    structures = {
        departement: api.post("/structures", headers=NATIONAL, json={
            "name": "Relais", "departement": departement, "sector": "addiction",
        }).json()["id"]
        for departement in ("38", "69")
    }
    before = stored(application)
    employment = {"structure_id": structures["69"], "starts_on": "2022-02-01"}
    refused = api.post(f"/peer-workers/{grenoble}/employments", headers=ISERE, json=employment)
    assert (refused.status_code, refused.json()) == (403, {"detail": (
        f"partner structure {structures['69']} in département 69 is outside the territory of "
        "the token of 'isère' (départements: 38)"
    )})
    assert stored(application) == before
    for structure, headers in ((structures["38"], ISERE), (structures["69"], AUVERGNE_RHONE_ALPES)):
        employment = {"structure_id": structure, "starts_on": "2022-02-01"}
        response = api.post(f"/peer-workers/{grenoble}/employments", headers=headers, json=employment)
        assert response.status_code == 201, response.text


def test_an_erased_record_elsewhere_answers_404_not_410(registry):
    _, api = registry
    lyon = register(api, "69", NATIONAL).json()["id"]
    assert api.delete(f"/peer-workers/{lyon}", headers=bearer("admin")).status_code == 204
    assert api.get(f"/peer-workers/{lyon}", headers=NATIONAL).status_code == 410
    assert api.get(f"/peer-workers/{lyon}", headers=ISERE).status_code == 404


def test_accompaniments_are_confined_the_same_way(accompaniment):
    application, api = accompaniment
    structure = uuid4()
    # In Isère, as the registry's events told the accompaniment.
    RegistryRecords.of(application).apply([structure_registered(structure, "38")], 1)

    def open_in(departement: str, headers: dict[str, str]) -> httpx.Response:
        return api.post("/accompaniments", headers=headers, json={
            "structure_id": str(structure), "departement": departement, "channel": "structure",
            "request": "une demande", "requested_on": "2022-01-03",
        })

    grenoble = open_in("38", ISERE).json()["id"]
    assert open_in("69", ISERE).status_code == 403
    lyon = open_in("69", NATIONAL).json()["id"]
    before = stored(application)
    expected = {"detail": f"no accompaniment has the id {lyon}"}
    for method, path, body in [
        ("GET", "", None),
        ("POST", "/milestones", {"milestone": "team_awareness", "occurred_on": "2022-02-01"}),
        ("POST", "/close", {"outcome": "abandoned", "closed_on": "2022-03-01"}),
    ]:
        response = api.request(method, f"/accompaniments/{lyon}{path}", headers=ISERE, json=body)
        assert (response.status_code, response.json()) == (404, expected), (method, path)
    # A hiring in Isère of someone new whom the registry would register in the Rhône.
    hiring = {"milestone": "peer_worker_hired", "occurred_on": "2022-02-01",
              "new_peer_worker": {"departement": "69", "domains": ["addiction"]}}
    assert api.post(f"/accompaniments/{grenoble}/milestones", headers=ISERE, json=hiring).status_code == 403
    assert stored(application) == before
    assert api.get(f"/accompaniments/{lyon}", headers=AUVERGNE_RHONE_ALPES).status_code == 200
