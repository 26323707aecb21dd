"""Structures registered before names were claimed, on SQLite and PostgreSQL: the registry
claims their names when it starts, once, listing those that share one; a structure
registered again under such a name is then answered 409 over real HTTP."""

from datetime import date

import httpx
import pytest

from peerwork_registry.application import Registry
from peerwork_registry.bootstrap import bootstrap
from peerwork_registry.config import Settings
from peerwork_registry.domain.partner_structure import NameIndex, PartnerStructure
from peerwork_registry.name_claims import claim_unclaimed_names
from tests.helpers import ServedApp, bearer, new_schema


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request, tmp_path) -> Settings:
    if request.param == "sqlite":
        store = {"sqlite_path": tmp_path / "r.sqlite"}
    else:
        env = request.getfixturevalue("postgres_env")
        store = {
            "persistence": "postgres", "postgres_host": env["POSTGRES_HOST"], "postgres_port": int(env["POSTGRES_PORT"]),
            "postgres_dbname": "postgres", "postgres_schema": new_schema(env),
        }
    return Settings(**store, relay_enabled=False, hirings_enabled=False)


def registered_before_claims(registry: Registry, name: str, departement: str = "38") -> str:
    """A structure saved as the registry saved them before names were claimed: alone."""
    structure = PartnerStructure.register(name, None, departement, "culture", date(2019, 5, 6))
    registry.save(structure)
    return structure.id


def test_the_registry_claims_old_names_at_start_and_then_refuses_a_duplicate(settings):
    registry = Registry(env=settings.eventsourcing_env())
    relais = registered_before_claims(registry, "Le Relais")
    registry.close()

    with ServedApp(bootstrap(settings)) as app, httpx.Client(base_url=app.url, headers=bearer("staff")) as api:
        again = api.post("/structures", json={"name": "le  relais", "departement": "38", "sector": "culture"})
        assert again.status_code == 409, again.text
        assert again.json()["existing_id"] == str(relais)
        # Elsewhere the name is free, and the flag still lets a namesake in.
        assert api.post("/structures", json={"name": "Le Relais", "departement": "69", "sector": "culture"}).status_code == 201
        assert api.post(
            "/structures", json={"name": "Le Relais", "departement": "38", "sector": "culture", "despite_same_name": True}
        ).status_code == 201


def test_each_old_name_is_claimed_once_and_names_shared_already_are_listed(settings):
    registry = Registry(env=settings.eventsourcing_env())
    try:
        first = registered_before_claims(registry, "L'Étape")
        second = registered_before_claims(registry, "l'etape")  # the same name, registered twice
        other = registered_before_claims(registry, "Foyer du Drac")
        claimed_already = registry.register_structure("La Halte", None, "38", "culture", date(2021, 1, 4))

        result = claim_unclaimed_names(registry)
        assert result.claimed == 2
        assert result.sharing == [(first, second, "38/l etape")]
        for structure_id in (first, other, claimed_already):
            key = registry.get_structure(structure_id).name_key
            assert registry.repository.get(NameIndex.create_id(key)).structure_id == structure_id

        stored = registry.recorder.max_notification_id()
        again = claim_unclaimed_names(registry)
        assert (again.claimed, again.sharing, registry.recorder.max_notification_id()) == (0, [], stored)

        # A structure registered by a version before this one after the first run (a replica
        # not upgraded yet) is claimed at the next.
        late = registered_before_claims(registry, "Le Fil")
        assert claim_unclaimed_names(registry).claimed == 1
        assert registry.repository.get(NameIndex.create_id("38/le fil")).structure_id == late
    finally:
        registry.close()
