"""Releases on a real SQLite file and a real PostgreSQL schema, through real HTTP: made for
the closed years, the only days the public reads, and revised (never changed in place)
when a backdated record moves a released figure."""

from datetime import UTC, date, datetime

import httpx
import pytest

from peerwork_registry.application import Registry
from peerwork_registry.publication import to_contract
from peerwork_reporting.ports import ReleaseVersion
from peerwork_reporting.releases.publisher import Publisher
from peerwork_reporting.storage.releases import ReleaseStore
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT, ServedApp, bearer
from tests.integration.reporting.released import released_app
from tests.integration.statistics_locations import KINDS, locations

TODAY = date(2024, 3, 15)  # 2022 and 2023 are closed


@pytest.fixture(params=KINDS)
def platform(request, tmp_path):
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for index in range(20):
        registry.register_peer_worker(f"P{index}", "69", ["addiction"], date(2022, 5, 1), legal_basis=CONSENT)
    where = locations(request, tmp_path)
    store = StatisticsStore(where("views"))
    sent = deliver(registry, store, 0)
    app, publisher, releases = released_app(store, where("releases"), lambda: TODAY)
    with ServedApp(app) as served, httpx.Client(base_url=served.url) as api:
        yield api, registry, store, publisher, sent
    releases.close()
    store.close()


def deliver(registry: Registry, store: StatisticsStore, sent: int) -> int:
    notifications = registry.recorder.select_notifications(start=sent + 1, limit=1000)
    # The registry's internal aggregates (the claims of SIRETs and names) publish nothing.
    events = [e for n in notifications if (e := to_contract(registry.mapper.to_domain_event(n), n.id)) is not None]
    last = notifications[-1].id if notifications else sent
    store.apply(events, last_sequence=last)
    return last


def test_the_closed_years_are_released_and_the_latest_is_the_default(platform):
    api = platform[0]
    listed = api.get("/stats/releases").json()["releases"]
    assert [(r["day"], [v["version"] for v in r["versions"]]) for r in listed] == [
        ("2022-12-31", [1]), ("2023-12-31", [1])
    ]
    latest = api.get("/stats/national")
    assert latest.headers["Release-Date"] == "2023-12-31" and latest.headers["Release-Version"] == "1"
    assert latest.json()["peer_workers"] == 20
    assert api.get("/stats/regions/84", params={"as_of": "2022-12-31"}).json()["peer_workers"] == 20


def test_a_day_that_is_not_a_release_date_is_refused_naming_the_release_dates(platform):
    api = platform[0]
    for path in ("/stats/national", "/stats/departments/69", "/stats/series", "/stats/accompaniments"):
        response = api.get(path, params={"as_of": "2023-06-30"})
        assert response.status_code == 422, path
        assert "2022-12-31, 2023-12-31" in response.json()["detail"]
    assert api.get("/reports/annual/2024").status_code == 422  # the year is not closed


def test_staff_read_exact_figures_and_protected_ones_for_any_day(platform):
    api = platform[0]
    exact = api.get("/stats/national", params={"as_of": "2022-06-30", "exact": "true"}, headers=bearer("analyst"))
    assert exact.json()["peer_workers"] == 20 and "Release-Date" not in exact.headers
    protected = api.get("/stats/departments/38", params={"as_of": "2022-06-30"}, headers=bearer("analyst"))
    assert protected.status_code == 200 and "Release-Date" not in protected.headers


def test_a_backdated_record_makes_a_revision_listing_what_moved(platform):
    api, registry, store, publisher, sent = platform
    registry.register_peer_worker("Late", "38", ["violence"], date(2022, 11, 1), legal_basis=CONSENT)
    deliver(registry, store, sent)
    assert api.get("/stats/national", params={"as_of": "2022-12-31"}).json()["peer_workers"] == 20
    made = publisher.publish()
    assert [(v.day, v.version) for v in made] == [(date(2022, 12, 31), 2), (date(2023, 12, 31), 2)]
    assert {"national.peer_workers", "regions.84.peer_workers", "departments.38.peer_workers"} <= set(made[0].moved)

    # One person more: shown beside version 1's 20, a 21 would tell that one late record came
    # in Isère with its domain. The revision hides what moved by 1 to the threshold.
    assert api.get("/stats/national", params={"as_of": "2022-12-31"}).json()["peer_workers"] == "suppressed"
    first = api.get("/stats/national", params={"as_of": "2022-12-31", "version": "1"})
    assert first.json()["peer_workers"] == 20 and first.headers["Release-Version"] == "1"
    assert api.get("/reports/annual/2022").json()["national"]["peer_workers"] == "suppressed"
    assert api.get("/reports/annual/2022", params={"version": "1"}).json()["national"]["peer_workers"] == 20
    exact = api.get("/stats/national", params={"as_of": "2022-12-31", "exact": "true"}, headers=bearer("analyst"))
    assert exact.json()["peer_workers"] == 21
    versions = api.get("/stats/releases").json()["releases"][0]["versions"]
    assert [v["version"] for v in versions] == [1, 2] and "national.peer_workers" in versions[1]["moved"]
    missing = api.get("/stats/national", params={"as_of": "2022-12-31", "version": "3"})
    assert missing.status_code == 404 and "versions 1 to 2" in missing.json()["detail"]
    assert publisher.publish() == []  # nothing moved since: no new version


def test_a_release_made_before_releases_quoted_each_other_is_made_again(platform):
    """A version stored by the reporting of yesterday (no row of its period's trainings to
    quote) is made again by today's at its next start, protected with it, not quoted."""
    api, registry, store, publisher, sent = platform
    releases = publisher._releases
    day = date(2022, 12, 31)
    published, exact = releases.figures(day, 1)
    answers = {"national": api.get("/stats/national", params={"as_of": "2022-12-31"}).json()}
    releases.add(ReleaseVersion(day, 2, datetime.now(UTC), []), answers, published, exact)
    restarted = Publisher(store, releases, 10, False, lambda: TODAY, store.last_sequence)
    assert [(v.day, v.version) for v in restarted.publish()] == [(day, 3)]
    assert api.get("/stats/trainings", params={"as_of": "2022-12-31"}).headers["Release-Version"] == "3"


@pytest.mark.parametrize("kind", KINDS, indirect=False)
def test_before_any_release_the_public_is_told_when_the_first_comes(kind, tmp_path, request):
    request.param = kind  # locations reads the kind from the request
    where = locations(request, tmp_path)
    store = StatisticsStore(where("views"))
    app, _, releases = released_app(store, where("releases"), lambda: TODAY)
    with ServedApp(app) as served, httpx.Client(base_url=served.url) as api:
        response = api.get("/stats/national")
        assert response.status_code == 409
        assert "no release has been made yet" in response.json()["detail"]
        assert "-12-31's (see /stats/releases)" in response.json()["detail"]
        assert api.get("/stats/releases").json() == {"releases": []}
    releases.close()
    store.close()


def test_a_change_of_hidden_counts_only_makes_no_version(platform):
    """Two hidden départements of a région, one person moved from one to the other: the
    exact figures moved, the published ones did not. A version, or a moved list naming the
    hidden figures, would tell that they changed."""
    api, registry, store, publisher, sent = platform
    isere = [registry.register_peer_worker(f"I{i}", "38", ["violence"], date(2022, 2, 1), legal_basis=CONSENT) for i in range(2)]
    for index in range(2):
        registry.register_peer_worker(f"S{index}", "73", ["violence"], date(2022, 2, 1), legal_basis=CONSENT)
    sent = deliver(registry, store, sent)
    made = publisher.publish()
    assert "departments.38.peer_workers" in made[0].moved  # 0, now "suppressed": seen
    registry.move_peer_worker(isere[0], "73", date(2022, 6, 1))
    deliver(registry, store, sent)
    assert publisher.publish() == []
    assert api.get("/stats/departments/73", params={"as_of": "2022-12-31"}).json()["peer_workers"] == "suppressed"
    assert len(api.get("/stats/releases").json()["releases"][0]["versions"]) == 2


def test_a_late_second_employment_in_another_sector_is_hidden_in_the_revision(platform):
    api, registry, store, publisher, sent = platform
    culture = registry.register_structure("Le Relais", None, "38", "culture", date(2022, 1, 3))
    health = registry.register_structure("La Halte", None, "38", "mental_health", date(2022, 1, 3))
    workers = [registry.register_peer_worker(f"E{n}", "38", ["addiction"], date(2022, 1, 3), legal_basis=CONSENT)
               for n in range(40)]
    for n, worker in enumerate(workers):
        registry.record_employment(worker, culture if n < 20 else health, date(2022, 2, 1), None)
    sent = deliver(registry, store, sent)
    publisher.publish()
    employed = api.get("/stats/national", params={"as_of": "2022-12-31"}).json()["employed_by_sector"]
    assert (employed["culture"], employed["mental_health"], employed["addiction"]) == (20, 20, 0)

    # Employed in culture already, one takes a second job in mental health: the employed stay
    # 40, and mental health's 21 beside version 2's 20 would tell it. It is hidden, with the
    # least other sector, that it is not alone.
    registry.record_employment(workers[0], health, date(2022, 6, 1), None)
    deliver(registry, store, sent)
    (revision, _) = publisher.publish()
    assert "national.employed_by_sector.mental_health" in revision.moved
    national = api.get("/stats/national", params={"as_of": "2022-12-31"}).json()
    assert national["employed_peer_workers"] == 40
    assert national["employed_by_sector"]["mental_health"] == national["employed_by_sector"]["addiction"] == "suppressed"
    assert national["employed_by_sector"]["culture"] == 20
    earlier = api.get("/stats/national", params={"as_of": "2022-12-31", "version": str(revision.version - 1)})
    assert earlier.json()["employed_by_sector"]["mental_health"] == 20
    table = api.get("/reports/annual/2022").json()["tables"]["employed_by_sector"]
    assert {"sector": "mental_health", "employed_peer_workers": "suppressed"} in table


@pytest.mark.parametrize("kind", KINDS, indirect=False)
def test_a_version_another_replica_adds_is_listed_at_once(kind, tmp_path, request):
    """Each replica keeps the versions it has read: one added by another replica on the same
    database is listed at its next read, as one it adds itself."""
    request.param = kind
    location = locations(request, tmp_path)("releases")
    ours, theirs = ReleaseStore(location), ReleaseStore(location)
    day = date(2022, 12, 31)
    try:
        assert ours.versions() == {}
        theirs.add(ReleaseVersion(day, 1, datetime.now(UTC), []), {"national": {"peer_workers": 20}}, {}, {})
        assert [v.version for v in ours.versions()[day]] == [1]
        ours.add(ReleaseVersion(day, 2, datetime.now(UTC), ["national"]), {"national": {"peer_workers": 21}}, {}, {})
        assert [v.version for v in ours.versions()[day]] == [v.version for v in theirs.versions()[day]] == [1, 2]
    finally:
        ours.close()
        theirs.close()
