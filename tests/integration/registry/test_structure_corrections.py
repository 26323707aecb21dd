"""Correcting a partner structure, and registering one twice, over real HTTP on SQLite and
PostgreSQL: each correction, its refusals (which store nothing), the SIRET and name a
structure holds released and claimed again, duplicates answered 409 with the id of the
structure already there."""

import threading
from datetime import date
from uuid import uuid4

import httpx
import pytest

from peerwork_common.domain.errors import DuplicateError
from peerwork_contracts import registry as contract
from peerwork_registry.application import Registry
from peerwork_registry.publication import to_contract
from tests.helpers import ServedApp, bearer, registry_app

SIRET, OTHER_SIRET = "73282932000074", "35600000000048"
ISERE = bearer("staff", subject="isère", departements=["38"])


@pytest.fixture
def served(store_env):
    registry = Registry(env=store_env)
    with ServedApp(registry_app(registry)) as app, httpx.Client(base_url=app.url, headers=bearer("staff")) as api:
        yield registry, api
    registry.close()


def stored(registry: Registry) -> int:
    return registry.recorder.max_notification_id() or 0


def register(api: httpx.Client, name: str, **fields) -> httpx.Response:  # noqa: ANN003
    body = {"name": name, "departement": "38", "sector": "culture", "effective_on": "2020-03-02", **fields}
    return api.post("/structures", json=body)


def new(api: httpx.Client, name: str, **fields) -> str:  # noqa: ANN003
    response = register(api, name, **fields)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def correct(api: httpx.Client, structure_id: str, headers: dict | None = None, **fields) -> httpx.Response:  # noqa: ANN003
    return api.post(f"/structures/{structure_id}/correct", json={"reason": "typed wrong", **fields}, headers=headers)


def test_each_field_is_corrected_and_published_without_the_reason(served):
    registry, api = served
    structure_id = new(api, "Le Relai")
    assert correct(api, structure_id, name="Le Relais", siret=SIRET).json()["siret"] == SIRET
    assert correct(api, structure_id, siret=OTHER_SIRET).status_code == 200
    assert correct(api, structure_id, departement="69", sector="addiction").status_code == 200
    body = correct(api, structure_id, siret=None).json()
    assert (body["name"], body["siret"], body["departement"], body["region"], body["sector"]) == (
        "Le Relais", None, "69", "84", "addiction"
    )
    assert body["registered_on"] == "2020-03-02"
    assert api.get(f"/structures/{structure_id}").json() == body

    published = [
        event for n in registry.recorder.select_notifications(1, 100)
        if isinstance(event := to_contract(registry.mapper.to_domain_event(n), n.id), contract.PartnerStructureCorrected)
    ]
    assert [e.payload.corrected for e in published] == [("name", "siret"), ("siret",), ("departement", "sector"), ("siret",)]
    assert {e.occurred_at for e in published} == {date(2020, 3, 2)}  # as the registration
    last = published[-1].payload.model_dump()
    assert last == {"name": "Le Relais", "siret": None, "departement": "69", "sector": "addiction", "corrected": ("siret",)}
    assert "typed wrong" not in "".join(e.model_dump_json() for e in published)


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"departement": "38", "sector": "culture"}, 409, "nothing to correct: its departement is already '38'; its sector is already 'culture'"),
        ({"siret": None}, 409, "its siret is already empty"),
        ({"siret": "73282932000075"}, 422, "check digit"),
        ({"name": None}, 422, "valid string"),
        ({"departement": "20"}, 422, "Corsica"),
        ({}, 422, "at least one of"),
        ({"departement": "69", "reason": ""}, 422, "at least 1 character"),
    ],
)
def test_a_correction_refused_says_why_and_stores_nothing(served, fields, status, says):
    registry, api = served
    structure_id = new(api, "Le Relais")
    before = stored(registry)
    response = correct(api, structure_id, **fields)
    assert response.status_code == status, response.text
    assert says in str(response.json()["detail"])
    assert stored(registry) == before


def test_outside_the_territory_a_structure_is_unknown_and_cannot_be_corrected_out_of_it(served):
    registry, api = served
    in_lyon, in_grenoble = new(api, "Relais de Lyon", departement="69"), new(api, "Relais de Grenoble")
    before = stored(registry)
    for structure_id in (in_lyon, str(uuid4())):  # elsewhere, then unknown: the same answer
        for fields in ({"sector": "addiction"}, {"departement": "75"}):
            response = correct(api, structure_id, ISERE, **fields)
            assert response.status_code == 404
            assert response.json()["detail"] == f"no partner structure has the id {structure_id}"
    moved_out = correct(api, in_grenoble, ISERE, departement="69")
    assert moved_out.status_code == 403
    assert "département 69 is outside the territory" in moved_out.json()["detail"]
    assert stored(registry) == before
    assert correct(api, in_grenoble, ISERE, sector="addiction").status_code == 200


def test_a_siret_taken_is_refused_and_one_released_is_claimed_again(served):
    registry, api = served
    holder = new(api, "Le Relais", siret=SIRET)
    other = new(api, "La Halte")
    before = stored(registry)
    taken = correct(api, other, siret=SIRET)
    assert taken.status_code == 409
    assert taken.json() == {
        "detail": f"a structure with SIRET {SIRET} is already registered: structure {holder}", "existing_id": holder
    }
    assert stored(registry) == before

    assert correct(api, holder, siret=None).status_code == 200  # released...
    assert correct(api, other, siret=SIRET).status_code == 200  # ...and claimed again
    assert register(api, "Un autre", siret=SIRET).json()["existing_id"] == other
    assert correct(api, holder, siret=SIRET).json()["existing_id"] == other
    assert correct(api, other, siret=OTHER_SIRET).status_code == 200
    assert correct(api, holder, siret=SIRET).status_code == 200  # released twice, claimed a third time


def test_a_structure_registered_twice_answers_409_with_the_id_already_there(served):
    registry, api = served
    first = new(api, "Association L'Étape", siret=SIRET)
    before = stored(registry)
    by_siret = register(api, "Tout autre nom", siret=SIRET, departement="69")
    assert (by_siret.status_code, by_siret.json()["existing_id"]) == (409, first)
    by_name = register(api, "l'etape")
    assert (by_name.status_code, by_name.json()["existing_id"]) == (409, first)
    assert '"despite_same_name": true' in by_name.json()["detail"]
    assert stored(registry) == before
    # The SIRET is never overridden; the name is, when staff say it is another structure.
    assert register(api, "Tout autre nom", siret=SIRET, despite_same_name=True).status_code == 409
    assert register(api, "L'Étape", despite_same_name=True).status_code == 201
    assert register(api, "L'Étape", departement="69").status_code == 201  # another département


def test_the_name_a_structure_holds_follows_its_corrections(served):
    _, api = served
    foyer = new(api, "Foyer du Drac")
    halte = new(api, "La Halte")
    renamed = correct(api, halte, name="FOYER DU DRAC !")
    assert (renamed.status_code, renamed.json()["existing_id"]) == (409, foyer)
    assert correct(api, halte, name="Foyer du Drac", despite_same_name=True).status_code == 200
    assert correct(api, foyer, departement="69").status_code == 200  # its name goes with it
    assert register(api, "Foyer du Drac", departement="69").json()["existing_id"] == foyer
    assert correct(api, foyer, name="Foyer de la Drôme").status_code == 200  # released in 69
    assert register(api, "Foyer du Drac", departement="69").status_code == 201


@pytest.mark.parametrize("same", ["siret", "name"])
def test_structures_registered_together_with_the_same_siret_or_name_are_one(store_env, same):
    registry = Registry(env=store_env)
    together = threading.Barrier(4)
    outcomes: list[object] = []

    def register_one(number: int) -> None:
        name, siret = ("Le Relais", None) if same == "name" else (f"Relais {number}", SIRET)
        together.wait()
        try:
            outcomes.append(registry.register_structure(name, siret, "38", "culture", date(2020, 3, 2)))
        except DuplicateError as error:
            outcomes.append(error.existing_id)

    threads = [threading.Thread(target=register_one, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each was registered, or refused naming the one that was.
    assert len(outcomes) == 4 and len(set(outcomes)) == 1
    registry.close()
