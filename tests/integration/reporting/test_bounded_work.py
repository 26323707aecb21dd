"""No request is expensive for everyone: whatever its dates, a reading of the statistics
runs a bounded number of queries on the views (an analyst's of any day, the costliest), and
the public's none (it reads a stored release). Counted, not timed, over real HTTP, on SQLite
then on PostgreSQL."""

from datetime import date

import httpx
import pytest

from peerwork_common.domain.values import EARLIEST_EFFECTIVE_DATE
from peerwork_contracts.calendar import today
from peerwork_registry.application import Registry
from peerwork_registry.publication import to_contract
from peerwork_reporting.releases.publisher import Publisher
from peerwork_reporting.storage.releases import ReleaseStore
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT, ServedApp, bearer, reporting_app
from tests.integration.statistics_locations import KINDS, locations

LAST_YEAR = today().year - 1
YEARS = today().year - EARLIEST_EFFECTIVE_DATE.year + 1  # the most a series may cover
# Four queries per year of a series (the census and the accompaniments at its end), and a
# few for the rest.
BUDGET = 4 * YEARS + 12


class OverBudget(Exception):
    pass


class CountingStore:
    """The store, counting the queries run on its views; past the budget a query fails,
    so that a request without a bound stops there instead of going on for minutes."""

    def __init__(self, store: StatisticsStore) -> None:
        self._store = store
        self.queries = 0

    def __getattr__(self, name: str):  # noqa: ANN204 - the rest is the store's
        return getattr(self._store, name)

    def read(self, query, as_of):  # noqa: ANN001, ANN201
        return self._store.read(lambda cursor, day: query(CountingCursor(cursor, self), day), as_of)

    def count(self) -> None:
        self.queries += 1
        if self.queries > BUDGET:
            raise OverBudget(f"more than {BUDGET} queries on the views")


class CountingCursor:
    def __init__(self, cursor, store: CountingStore) -> None:  # noqa: ANN001
        self._cursor = cursor
        self._store = store

    def execute(self, *args):  # noqa: ANN002, ANN201
        self._store.count()
        return self._cursor.execute(*args)

    def __getattr__(self, name: str):  # noqa: ANN204 - fetchone and the like
        return getattr(self._cursor, name)


@pytest.fixture(scope="module", params=KINDS)
def served(request, tmp_path_factory):
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    structure = registry.register_structure("S", None, "38", "culture", date(LAST_YEAR, 3, 1))
    worker = registry.register_peer_worker("P", "38", ["addiction"], date(LAST_YEAR, 6, 1), legal_basis=CONSENT)
    registry.record_employment(worker, structure, date(LAST_YEAR, 9, 1), None)
    registry.register_structure("Typo", None, "69", "culture", date(LAST_YEAR, 3, 1))
    notifications = registry.recorder.select_notifications(start=1, limit=100)
    *events, typo = [e for n in notifications if (e := to_contract(registry.mapper.to_domain_event(n), n.id)) is not None]
    # A structure dated in year 1, as the registry accepted before the bound was enforced.
    typo = typo.model_copy(update={"occurred_at": date(1, 1, 1)})
    where = locations(request, tmp_path_factory.mktemp("bounded"))
    store = StatisticsStore(where("s"))
    store.apply(events, last_sequence=len(events))
    releases = ReleaseStore(where("releases"))
    # Released before the year-1 structure comes, with every fact in the last closed year:
    # the one release the public reads, instead of one for each year from 2000 (a second each).
    Publisher(store, releases, 10, False, today, store.last_sequence).publish()
    store.apply([typo], last_sequence=len(events) + 1)
    counting = CountingStore(store)
    app = reporting_app(counting, releases)
    with ServedApp(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        yield client, counting
    releases.close()
    store.close()


def queries_of(served, path: str, public: bool = False, **params: str) -> tuple[httpx.Response, int]:  # noqa: ANN001
    """An analyst's exact reading, or the public's."""
    client, counting = served
    counting.queries = 0
    headers = {} if public else bearer("analyst")
    response = client.get(path, params=params if public else {**params, "exact": "true"}, headers=headers)
    return response, counting.queries


NEXT_YEAR = today().year + 1


@pytest.mark.parametrize(
    ("path", "params", "bound"),
    [
        ("/stats/series", {"as_of": "9999-12-31"}, f"{today().year}-12-31"),
        ("/stats/series", {"as_of": "0001-01-01"}, "2000-01-01"),
        ("/stats/series", {"as_of": "1999-12-31"}, "2000-01-01"),
        ("/stats/series", {"as_of": f"{NEXT_YEAR}-01-01"}, f"{today().year}-12-31"),
        ("/stats/national", {"as_of": "9999-12-31"}, f"{today().year}-12-31"),
        ("/stats/trainings", {"as_of": "0001-01-01"}, "2000-01-01"),
        ("/reports/annual/9999", {}, str(today().year)),
        (f"/reports/annual/{NEXT_YEAR}/tables/series", {}, str(today().year)),
        ("/reports/annual/1/chart.svg", {}, "2000"),
    ],
)
def test_days_and_years_out_of_bounds_are_refused_with_the_bounds_before_any_work(served, path, params, bound):
    response, queries = queries_of(served, path, **params)
    assert response.status_code == 422, response.text
    assert bound in response.text
    assert queries == 0


def test_the_series_covers_the_years_that_hold_facts_and_no_more(served):
    response, queries = queries_of(served, "/stats/series", as_of=f"{today().year}-12-31")
    assert response.status_code == 200, response.text
    years = response.json()["years"]
    # The year-1 structure counts from the earliest year listed on.
    assert [years[0]["year"], years[-1]["year"]] == [EARLIEST_EFFECTIVE_DATE.year, today().year]
    assert years[0]["partner_structures"] == 1 and years[-1]["partner_structures"] == 2
    assert queries <= BUDGET


@pytest.mark.parametrize("path", ["", "/tables/series", "/tables/regions", "/chart.svg"])
def test_the_annual_report_does_bounded_work(served, path):
    response, queries = queries_of(served, f"/reports/annual/{LAST_YEAR}{path}")
    assert response.status_code == 200, response.text
    assert queries <= BUDGET


@pytest.mark.parametrize("path", ["/stats/series", "/stats/national", f"/reports/annual/{LAST_YEAR}"])
def test_the_public_reads_a_release_without_a_query_on_the_views(served, path):
    response, queries = queries_of(served, path, public=True)
    assert response.status_code == 200, response.text
    assert response.headers["Release-Date"] == f"{LAST_YEAR}-12-31"
    assert queries == 0
