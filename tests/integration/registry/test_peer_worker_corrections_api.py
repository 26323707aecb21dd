"""Corrections of a peer worker's record and merges of a person registered twice, over real
HTTP on SQLite and PostgreSQL: each is refused when it changes nothing or breaks a rule
(storing nothing), keeps to the token's territory, and the census of a given day counts
the corrected facts, fed with the events the registry publishes."""

from collections import Counter
from datetime import date
from uuid import UUID, uuid4

import httpx
import pytest

from peerwork_registry.application import Registry
from peerwork_registry.domain.peer_worker import PeerWorker
from peerwork_reporting.storage.sqlite import SqliteFile
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT_BODY, ServedApp, bearer, registry_app
from tests.integration.reporting.test_point_in_time import projected, published
from tests.integration.statistics_locations import postgres_schema

ISERE = bearer("staff", subject="isère", departements=["38"])
WHY = {"reason": "typed wrong at registration"}


class Census:
    """The reporting's census, fed with what the registry published so far."""

    def __init__(self, registry: Registry, store: StatisticsStore) -> None:
        self._registry, self._store = registry, store

    def on(self, day: str) -> dict[str, Counter]:
        events = [event for event in published(self._registry) if event is not None]
        self._store.apply(events, last_sequence=self._registry.recorder.max_notification_id() or 0)
        return projected(self._store, date.fromisoformat(day))

    def count(self, day: str, departement: str, figure: str = "peer_workers") -> int:
        return self.on(day).get(departement, Counter())[figure]


@pytest.fixture
def service(store_env, tmp_path):
    registry = Registry(env=store_env)
    if store_env["PERSISTENCE_MODULE"].endswith("sqlite"):
        location = SqliteFile(tmp_path / "s.sqlite")
    else:
        location = postgres_schema(store_env, f"stats_{uuid4().hex}")
    store = StatisticsStore(location)
    with ServedApp(registry_app(registry)) as served:
        with httpx.Client(base_url=served.url, headers=bearer("staff")) as api:
            yield api, registry, Census(registry, store)
    store.close()
    registry.close()


def created(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    return response.json()["id"]


def peer_worker(api: httpx.Client, departement: str = "38", registered_on: str = "2021-03-01", **more) -> str:
    return created(api.post("/peer-workers", json={
        "legal_basis": CONSENT_BODY,
        "display_name": "Anne", "departement": departement, "domains": ["addiction"],
        "registered_on": registered_on, **more,
    }))


def structure(api: httpx.Client, departement: str = "38") -> str:
    return created(api.post("/structures", json={
        "name": "Le Relais", "departement": departement, "sector": "shelter_housing", "effective_on": "2020-01-01",
    }))


def employ(api: httpx.Client, peer_worker_id: str, starts_on: str, structure_id: str | None = None) -> str:
    body = {"structure_id": structure_id or structure(api), "starts_on": starts_on}
    return created(api.post(f"/peer-workers/{peer_worker_id}/employments", json=body))


def stored(registry: Registry) -> int:
    return registry.recorder.max_notification_id() or 0


def refused(api, registry, path: str, body: dict, status: int, detail: str) -> None:  # noqa: ANN001
    before = stored(registry)
    response = api.post(path, json=body)
    assert response.status_code == status, response.text
    assert detail in str(response.json()["detail"])
    assert stored(registry) == before


def test_a_registration_is_corrected_and_counted_as_if_typed_so_from_the_start(service):
    api, registry, census = service
    anne = peer_worker(api)
    assert (census.count("2021-02-15", "69"), census.count("2021-06-01", "38")) == (0, 1)
    body = {"departement": "69", "registered_on": "2021-02-01", "domains": ["violence", "addiction"], **WHY}
    response = api.post(f"/peer-workers/{anne}/correct-registration", json=body)
    assert response.status_code == 200, response.text
    record = response.json()
    assert (record["departement"], record["registered_on"], record["domains"]) == (
        "69", "2021-02-01", ["addiction", "violence"]
    )
    for day in ("2021-02-15", "2021-06-01"):  # no move: counted in 69 from the corrected date
        assert census.on(day) == {"69": Counter(
            {"peer_workers": 1, "domain:addiction": 1, "domain:violence": 1}
        )}
    assert census.count("2021-01-31", "69") == 0
    [event] = [e for e in published(registry) if e is not None and e.event_type.endswith("registration_corrected")]
    assert "typed wrong" not in event.model_dump_json()  # the reason stays in the registry


def test_a_registration_correction_is_refused_when_it_changes_nothing_or_breaks_a_rule(service):
    api, registry, _ = service
    anne = peer_worker(api)
    employ(api, anne, "2021-04-01")
    path = f"/peer-workers/{anne}/correct-registration"
    refused(api, registry, path, {"departement": "38", **WHY}, 409, "changes nothing")
    refused(api, registry, path, {"registered_on": "2021-04-02", **WHY}, 409,
            "the registration cannot be after employment")
    refused(api, registry, path, {"departement": "69"}, 422, "Field required")
    refused(api, registry, path, {"domains": [], **WHY}, 422, "at least 1 item")
    refused(api, registry, path, {"registered_on": "2999-01-01", **WHY}, 422, "registered_on")
    refused(api, registry, f"/peer-workers/{uuid4()}/correct-registration", {"departement": "69", **WHY}, 404, "no peer worker")


def test_an_employment_is_corrected_then_cancelled_and_the_employed_count_follows(service):
    api, registry, census = service
    anne = peer_worker(api)
    employment = employ(api, anne, "2021-05-01")
    path = f"/peer-workers/{anne}/employments/{employment}"
    assert census.count("2021-04-15", "38", "employed_peer_workers") == 0
    response = api.post(f"{path}/correct", json={"starts_on": "2021-04-01", "ends_on": "2021-09-01", **WHY})
    assert response.status_code == 200, response.text
    assert response.json()["employments"][0]["ends_on"] == "2021-09-01"
    assert census.count("2021-04-15", "38", "employed_peer_workers") == 1
    assert census.count("2021-09-01", "38", "employed_peer_workers") == 0
    refused(api, registry, f"{path}/correct", {"starts_on": "2021-04-01", "ends_on": "2021-09-01", **WHY}, 409, "changes nothing")
    refused(api, registry, f"{path}/correct", {"starts_on": "2021-02-01", **WHY}, 409, "before the peer worker's registration")
    refused(api, registry, f"{path}/correct", {"starts_on": "2021-05-01", "ends_on": "2021-04-01", **WHY}, 409, "end after")
    response = api.post(f"{path}/cancel", json=WHY)
    assert response.status_code == 200, response.text
    assert response.json()["employments"] == []
    assert census.count("2021-04-15", "38", "employed_peer_workers") == 0
    refused(api, registry, f"{path}/cancel", WHY, 404, f"no employment {employment}")
    refused(api, registry, f"{path}/correct", {"starts_on": "2021-04-01", **WHY}, 404, f"no employment {employment}")


def test_a_withdrawal_made_by_mistake_is_undone_and_counts_as_never_made(service):
    api, registry, census = service
    anne = peer_worker(api)
    employ(api, anne, "2021-04-01")
    assert api.post(f"/peer-workers/{anne}/withdraw", json={"effective_on": "2021-09-01"}).status_code == 200
    assert census.count("2021-10-01", "38") == 0
    response = api.post(f"/peer-workers/{anne}/reinstate", json=WHY)
    assert response.status_code == 200, response.text
    record = response.json()
    assert (record["withdrawn_on"], record["employments"][0]["ends_on"]) == (None, None)
    assert census.on("2021-10-01")["38"]["peer_workers"] == 1
    assert census.on("2021-10-01")["38"]["employed_peer_workers"] == 1
    refused(api, registry, f"/peer-workers/{anne}/reinstate", WHY, 409, "not withdrawn")
    assert api.post(f"/peer-workers/{anne}/move", json={"departement": "69", "effective_on": "2021-11-01"}).status_code == 200


def test_an_erased_record_is_not_reinstated(service):
    api, registry, _ = service
    anne = peer_worker(api)
    assert api.delete(f"/peer-workers/{anne}", headers=bearer("admin")).status_code in (202, 204)
    refused(api, registry, f"/peer-workers/{anne}/reinstate", WHY, 410, "erased")


def test_corrections_keep_to_the_territory_of_the_token(service):
    api, registry, _ = service
    in_rhone, in_isere = peer_worker(api, "69"), peer_worker(api, "38")
    before = stored(registry)
    for path, body in [
        (f"/peer-workers/{in_rhone}/correct-registration", {"departement": "38", **WHY}),
        (f"/peer-workers/{in_rhone}/reinstate", WHY),
        (f"/peer-workers/{in_rhone}/employments/{uuid4()}/cancel", WHY),
        (f"/peer-workers/{in_isere}/merge", {"into": in_rhone, **WHY}),
    ]:
        response = api.post(path, json=body, headers=ISERE)
        assert response.status_code == 404, (path, response.text)  # as for an unknown id
    response = api.post(f"/peer-workers/{in_isere}/correct-registration", json={"departement": "69", **WHY}, headers=ISERE)
    assert response.status_code == 403 and "outside the territory" in response.json()["detail"]
    assert stored(registry) == before


def test_a_person_registered_twice_is_merged_and_counted_once_from_the_earlier_registration(service):
    api, registry, census = service
    first = peer_worker(api, registered_on="2020-01-06")
    employment = employ(api, first, "2020-02-03")
    second = peer_worker(api, registered_on="2021-01-04", domains=["violence"])
    assert (census.count("2020-06-01", "38"), census.count("2021-06-01", "38")) == (1, 2)
    response = api.post(f"/peer-workers/{first}/merge", json={"into": second, **WHY})
    assert response.status_code == 200, response.text
    survivor = response.json()
    assert (survivor["id"], survivor["registered_on"], survivor["domains"]) == (second, "2020-01-06", ["addiction", "violence"])
    assert [e["id"] for e in survivor["employments"]] == [employment]
    assert census.on("2020-06-01")["38"] == Counter(
        {"peer_workers": 1, "domain:addiction": 1, "domain:violence": 1, "employed_peer_workers": 1,
         "partner_structures": 1, "sector:shelter_housing": 1, "employed_sector:shelter_housing": 1}
    )
    assert census.count("2021-06-01", "38") == 1
    for response in (
        api.get(f"/peer-workers/{first}"),
        api.post(f"/peer-workers/{first}/withdraw", json={}),
        api.post(f"/peer-workers/{first}/employments/{employment}/end", json={"ends_on": "2021-01-01"}),
    ):
        assert response.status_code == 410, response.text
        assert response.json()["merged_into"] == second
    assert api.post(f"/peer-workers/{second}/employments/{employment}/end", json={"ends_on": "2021-01-01"}).status_code == 200


def test_a_merge_is_refused_into_itself_an_unknown_or_merged_record(service):
    api, registry, _ = service
    first, second, third = peer_worker(api), peer_worker(api), peer_worker(api)
    refused(api, registry, f"/peer-workers/{first}/merge", {"into": first, **WHY}, 409, "itself")
    refused(api, registry, f"/peer-workers/{first}/merge", {"into": str(uuid4()), **WHY}, 404, "no peer worker")
    refused(api, registry, f"/peer-workers/{first}/merge", {"into": second}, 422, "Field required")
    assert api.post(f"/peer-workers/{second}/merge", json={"into": third, **WHY}).status_code == 200
    before = stored(registry)
    response = api.post(f"/peer-workers/{first}/merge", json={"into": second, **WHY})
    assert (response.status_code, response.json()["merged_into"]) == (410, third)
    assert stored(registry) == before


def test_erasing_the_survivor_erases_the_record_merged_into_it(service):
    api, registry, _ = service
    first, second = peer_worker(api), peer_worker(api)
    merge = {"url": f"/peer-workers/{first}/merge", "json": {"into": second, **WHY}, "headers": {"Idempotency-Key": "m1"}}
    assert api.post(**merge).status_code == 200
    assert api.delete(f"/peer-workers/{second}", headers=bearer("admin")).status_code in (202, 204)
    # The merge's kept answer showed the survivor's name: gone with it, the retry runs anew.
    again = api.post(**merge)
    assert again.status_code == 410 and "Idempotency-Replayed" not in again.headers
    merged = registry.load(PeerWorker, UUID(first), "peer worker")
    assert (merged.display_name, merged.erased_on is not None) == (None, True)
    assert registry.personal_data_keys.key(UUID(first)) is None
