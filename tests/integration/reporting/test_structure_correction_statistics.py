"""A corrected structure counts in the statistics where it is corrected to, from its
registration on, as if the mistake had never been made: exact figures for any day, read
over HTTP from a store on SQLite, then on PostgreSQL."""

from datetime import date

import httpx
import pytest

from peerwork_registry.application import Registry
from peerwork_registry.publication import to_contract
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT, ServedApp, bearer
from tests.integration.reporting.released import released_app
from tests.integration.statistics_locations import KINDS, locations

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


def employed_by_sector(stats: httpx.Client, day: str) -> tuple[int, dict[str, int]]:
    """The nation's employed peer workers on ``day``, and by their employers' sectors that have some."""
    figures = stats.get("/stats/national", params={"as_of": day, "exact": "true"}).json()
    return figures["employed_peer_workers"], {s: n for s, n in figures["employed_by_sector"].items() if n}


def test_a_corrected_sector_counts_its_employees_there_since_their_hiring(platform):
    registry, store, stats = platform
    typo = registry.register_structure("Le Relais", None, "38", "culture", date(2020, 3, 2))
    other = registry.register_structure("La Halte", None, "69", "addiction", date(2020, 1, 6))
    first = registry.register_peer_worker("A", "69", ["addiction"], date(2020, 1, 6), legal_basis=CONSENT)
    second = registry.register_peer_worker("B", "38", ["addiction"], date(2020, 1, 6), legal_basis=CONSENT)
    registry.record_employment(first, typo, date(2021, 1, 4), date(2022, 1, 3))
    registry.record_employment(second, typo, date(2021, 1, 4), None)
    registry.record_employment(second, other, date(2021, 6, 1), None)
    deliver(registry, store)
    # Employed by two structures of two sectors, one counts once, in each.
    assert employed_by_sector(stats, "2021-03-31") == (2, {"culture": 2})
    assert employed_by_sector(stats, "2021-06-30") == (2, {"culture": 2, "addiction": 1})
    assert employed_by_sector(stats, "2022-06-30") == (1, {"culture": 1, "addiction": 1})

    registry.correct_structure(typo, "a shelter, not a theatre", {"sector": "shelter_housing"})
    later = registry.register_peer_worker("C", "69", ["addiction"], date(2020, 1, 6), legal_basis=CONSENT)
    registry.record_employment(later, typo, date(2021, 1, 4), None)  # in the same batch as the correction
    deliver(registry, store)
    assert employed_by_sector(stats, "2021-03-31") == (3, {"shelter_housing": 3})
    assert employed_by_sector(stats, "2021-06-30") == (3, {"shelter_housing": 3, "addiction": 1})
    assert employed_by_sector(stats, "2022-06-30") == (2, {"shelter_housing": 2, "addiction": 1})
    registry.correct_structure(typo, "addiction after all", {"sector": "addiction"})
    deliver(registry, store)
    # Both employers in one sector now: the second counts in it once.
    assert employed_by_sector(stats, "2021-06-30") == (3, {"addiction": 3})
