"""A corrected structure counts in the statistics where it is corrected to, from its
registration on, as if the mistake had never been made: exact figures for any day, read
over HTTP from a store on SQLite, then on PostgreSQL."""

from datetime import date

import httpx
import pytest

from peerwork_registry.application import Registry
from peerwork_registry.publication import to_contract
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import ServedApp, bearer
from tests.integration.released import released_app

from .statistics_locations import KINDS, locations

ANALYST = bearer("analyst")


@pytest.fixture(params=KINDS)
def platform(request, tmp_path):
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    where = locations(request, tmp_path)
    store = StatisticsStore(where("s"))
    app, _, releases = released_app(store, where("releases"))
    with ServedApp(app) as served, httpx.Client(base_url=served.url, headers=ANALYST) as stats:
        yield registry, store, stats
    releases.close()
    store.close()


def deliver(registry: Registry, store: StatisticsStore) -> None:
    """The registry's events the store has not had yet, as its relay publishes them."""
    sent = store.last_sequence()
    notifications = registry.recorder.select_notifications(start=sent + 1, limit=1000)
    events = [e for n in notifications if (e := to_contract(registry.mapper.to_domain_event(n), n.id)) is not None]
    store.apply(events, last_sequence=notifications[-1].id)


def structures(stats: httpx.Client, departement: str, day: str) -> tuple[int, dict[str, int]]:
    """The département's structures on ``day``, and those of its sectors that have some."""
    figures = stats.get(f"/stats/departments/{departement}", params={"as_of": day, "exact": "true"}).json()
    return figures["partner_structures"], {s: n for s, n in figures["structures_by_sector"].items() if n}


def test_a_corrected_structure_counts_where_it_is_corrected_to_since_its_registration(platform):
    registry, store, stats = platform
    typo = registry.register_structure("Le Relais", None, "38", "culture", date(2020, 3, 2))
    registry.register_structure("La Halte", None, "69", "addiction", date(2020, 1, 6))
    deliver(registry, store)
    assert structures(stats, "38", "2020-06-30") == (1, {"culture": 1})
    assert structures(stats, "69", "2020-06-30") == (1, {"addiction": 1})

    registry.correct_structure(typo, "typed in Isère, it is in Lyon", {"departement": "69", "sector": "shelter_housing"})
    deliver(registry, store)
    for day in ("2020-03-02", "2020-06-30", "2024-12-31"):
        assert structures(stats, "38", day) == (0, {}), day
        assert structures(stats, "69", day) == (2, {"addiction": 1, "shelter_housing": 1}), day
    assert structures(stats, "69", "2020-03-01") == (1, {"addiction": 1})  # the day before it was registered
    national = stats.get("/stats/national", params={"as_of": "2020-06-30", "exact": "true"}).json()
    assert (national["partner_structures"], national["departements_covered"]) == (2, 1)

    registry.correct_structure(typo, "the name only", {"name": "Le Relais de Lyon"})  # counts as it did
    deliver(registry, store)
    assert structures(stats, "69", "2020-06-30") == (2, {"addiction": 1, "shelter_housing": 1})
