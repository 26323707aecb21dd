"""The annual report over real HTTP: JSON, CSV per table, and who sees what (the page and its
charts: test_report_page);
from a store on SQLite, then on PostgreSQL."""

import csv
import io
from datetime import date

import httpx
import pytest

from peerwork_registry.application import Registry
from peerwork_registry.publication import to_contract
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT, ServedApp, bearer
from tests.integration.reporting.released import released_app
from tests.integration.statistics_locations import KINDS, locations


@pytest.fixture(scope="module", params=KINDS)
def api(request, tmp_path_factory):
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    structure = registry.register_structure("S", None, "69", "culture", date(2019, 1, 1))
    # Two of culture's employed are also employed in mental health: a sector of 2.
    second = registry.register_structure("M", None, "69", "mental_health", date(2019, 1, 1))
    places = ["69"] * 30 + ["38"] * 8 + ["75"] * 2 + ["35"] * 12 + ["22"] * 15
    for index, departement in enumerate(places):
        worker = registry.register_peer_worker(f"P{index}", departement, ["addiction"], date(2020, 1, 1), legal_basis=CONSENT)
        if index < 12:
            registry.record_employment(worker, structure, date(2021, 3, 1), None)
        if index < 2:
            registry.record_employment(worker, second, date(2021, 6, 1), None)
    registry.register_peer_worker("Later", "69", ["violence"], date(2023, 1, 1), legal_basis=CONSENT)
    notifications = registry.recorder.select_notifications(start=1, limit=1000)
    events = [e for n in notifications if (e := to_contract(registry.mapper.to_domain_event(n), n.id)) is not None]
    where = locations(request, tmp_path_factory.mktemp("report"))
    store = StatisticsStore(where("s"))
    store.apply(events, last_sequence=len(events))
    app, _, releases = released_app(store, where("releases"))
    with ServedApp(app) as served, httpx.Client(base_url=served.url) as client:
        yield client
    releases.close()
    store.close()


def test_the_report_gives_the_figures_on_31_december(api):
    report = api.get("/reports/annual/2022").json()
    assert (report["as_of"], report["exact"]) == ("2022-12-31", False)
    assert report["national"]["peer_workers"] == 67  # not the one registered in 2023
    regions = {row["region"]: row for row in report["tables"]["regions"]}
    assert (regions["84"]["peer_workers"], regions["84"]["share_of_peer_workers"]) == (38, 0.5672)
    # Île-de-France's 2 are suppressed, and Bretagne's 27 with them, the least populated other
    # région: else 67 - 38 would give them away.
    assert regions["11"]["peer_workers"] == regions["53"]["peer_workers"] == "suppressed"
    assert regions["53"]["share_of_peer_workers"] == "suppressed"
    # Domains are published nationally only.
    assert report["national"]["peer_workers_by_domain"]["addiction"] == 67
    assert {row["addiction"] for row in report["tables"]["domains"]} == {"suppressed"}
    assert set(report["tables"]) == {"regions", "departements", "domains", "sectors", "employed_by_sector", "accompaniments", "funnel", "trainings", "series", "collective"}
    series = {row["year"]: row for row in report["tables"]["series"]}
    assert series[2020]["peer_workers"] == 67 and series[2019]["peer_workers"] == 0


def test_the_employed_by_sector_are_published_nationally_with_the_small_ones_suppressed(api):
    report = api.get("/reports/annual/2022").json()
    employed = {row["sector"]: row["employed_peer_workers"] for row in report["tables"]["employed_by_sector"]}
    # Mental health's 2 are suppressed, and addiction's 0 with them, the least other (by name
    # among the zeros): alone, it would be the only secret, and known to be small.
    assert employed == {"culture": 12, "mental_health": "suppressed", "addiction": "suppressed",
                        "shelter_housing": 0, "disability": 0, "employment_insertion": 0, "other": 0}
    assert report["national"]["employed_by_sector"] == employed
    assert report["national"]["employed_peer_workers"] == 12  # each person once, in two sectors
    regions = {row["code"]: row for row in api.get("/stats/regions", params={"as_of": "2022-12-31"}).json()["regions"]}
    assert set(regions["84"]["employed_by_sector"].values()) == {"suppressed"}  # nationally only
    rows = api.get("/reports/annual/2022/tables/employed_by_sector.csv").content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Secteur;Travailleurs pairs employés"
    assert "Santé mentale;secret statistique" in rows and "Culture;12" in rows
    exact = api.get("/reports/annual/2022", params={"exact": "true"}, headers=bearer("analyst")).json()
    assert exact["national"]["employed_by_sector"]["mental_health"] == 2
    assert exact["tables"]["employed_by_sector"][1] == {"sector": "mental_health", "employed_peer_workers": 2}
    assert api.get("/reports/annual/2021").json()["national"]["employed_by_sector"]["culture"] == 12


def test_analysts_get_exact_figures_and_others_a_401_or_403(api):
    assert api.get("/reports/annual/2022", params={"exact": "true"}).status_code == 401
    assert api.get("/reports/annual/2022", params={"exact": "true"}, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert api.get("/reports/annual/2022", params={"exact": "true"}, headers=bearer("staff")).status_code == 403
    exact = api.get("/reports/annual/2022", params={"exact": "true"}, headers=bearer("analyst")).json()
    regions = {row["region"]: row for row in exact["tables"]["regions"]}
    assert (regions["11"]["peer_workers"], regions["53"]["share_of_peer_workers"]) == (2, 0.403)


def test_each_table_exports_as_csv(api):
    response = api.get("/reports/annual/2022/tables/departements", headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    # Isère's 8 are hidden with the Rhône's 30 (alone, they would be AURA's 38 minus the rest);
    # Paris's 2 with its région, and Bretagne's with theirs.
    assert {row["departement"]: row["peer_workers"] for row in rows} == {
        "69": "suppressed", "38": "suppressed", "75": "suppressed", "35": "suppressed", "22": "suppressed",
    }
    same = api.get("/reports/annual/2022/tables/departements", params={"format": "csv"})
    assert same.text == response.text
    assert api.get("/reports/annual/2022/tables/departements").json()[-1]["departement"] == "69"
    # A département with a structure counts as covered; one whose peer workers are hidden and
    # that has none does not, or the count would tell its hidden figure is not 0.
    national = api.get("/reports/annual/2022").json()["national"]
    assert national["departements_covered"] == 1


def test_unknown_tables_future_years_and_whole_report_csv_are_refused_clearly(api):
    response = api.get("/reports/annual/2022/tables/salaries")
    assert response.status_code == 404 and "regions" in response.json()["detail"]
    assert api.get("/reports/annual/2999").status_code == 422
    assert api.get("/reports/annual/1999").status_code == 422
    response = api.get("/reports/annual/2022", params={"format": "csv"})
    assert response.status_code == 406 and "/reports/annual/2022/tables/regions" in response.json()["detail"]
