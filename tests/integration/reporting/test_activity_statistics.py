"""Accompaniments and trainings in the statistics, on a real SQLite file and a real PostgreSQL
schema, and through real HTTP."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import httpx
import pytest

from peerwork_contracts import accompaniment as events
from peerwork_contracts.envelope import Event
from peerwork_reporting.projection.views import PROJECTORS
from peerwork_reporting.reads.statistics import Statistics
from peerwork_reporting.storage.store import MIGRATIONS, StatisticsStore
from tests.helpers import ServedApp, bearer
from tests.integration.reporting.released import released_app

RECORDED = datetime(2024, 6, 1, tzinfo=UTC)


class Log:
    """The accompaniment service's log: positions follow on, versions per aggregate."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._versions: dict[UUID, int] = {}

    def record(self, event_class: type[Event], aggregate_id: UUID, occurred_at: date, payload) -> None:  # noqa: ANN001
        self._versions[aggregate_id] = self._versions.get(aggregate_id, 0) + 1
        self.events.append(event_class.build(
            occurred_at=occurred_at, recorded_at=RECORDED, position=len(self.events) + 1,
            aggregate_id=aggregate_id, aggregate_version=self._versions[aggregate_id], payload=payload,
        ))

    def accompaniment(self, departement: str, opened_on: date) -> "Accompaniment":
        return Accompaniment(self, departement, opened_on)

    def session(self, departement: str, kind: str, audience: str, scheduled_on: date) -> "Session":
        return Session(self, departement, kind, audience, scheduled_on)


class Accompaniment:
    def __init__(self, log: Log, departement: str, opened_on: date) -> None:
        self.log, self.id = log, uuid4()
        self.common = {"structure_id": uuid4(), "departement": departement}
        log.record(events.AccompanimentOpened, self.id, opened_on,
                   events.AccompanimentOpenedPayload(**self.common, channel="funder"))

    def reach(self, milestone: str, on: date) -> "Accompaniment":
        ready = True if milestone == "readiness_assessed" else None
        self.log.record(events.MilestoneReached, self.id, on,
                        events.MilestoneReachedPayload(**self.common, milestone=milestone, ready=ready))
        return self

    def hire(self, on: date) -> "Accompaniment":
        self.log.record(events.PeerWorkerHired, self.id, on, events.PeerWorkerHiredPayload(
            **self.common, hiring_id=uuid4(), peer_worker_id=uuid4(), new_peer_worker=None, starts_on=on))
        return self

    def close(self, outcome: str, on: date) -> "Accompaniment":
        self.log.record(events.AccompanimentClosed, self.id, on,
                        events.AccompanimentClosedPayload(**self.common, outcome=outcome))
        return self

    def retract(self, milestone: str, on: date, still_reached_on: date | None = None) -> "Accompaniment":
        self.log.record(events.MilestoneRetracted, self.id, on, events.MilestoneRetractedPayload(
            **self.common, milestone=milestone, still_reached_on=still_reached_on))
        return self

    def reopen(self, outcome: str, closed_on: date) -> "Accompaniment":
        self.log.record(events.AccompanimentReopened, self.id, closed_on,
                        events.AccompanimentReopenedPayload(**self.common, outcome=outcome))
        return self


class Session:
    def __init__(self, log: Log, departement: str, kind: str, audience: str, scheduled_on: date) -> None:
        self.log, self.id = log, uuid4()
        self.common = {"kind": kind, "audience": audience, "departement": departement}
        log.record(events.TrainingSessionScheduled, self.id, scheduled_on, events.TrainingSessionScheduledPayload(
            **self.common, title="Sensibilisation", starts_on=scheduled_on, ends_on=scheduled_on,
            duration_hours=3.5, capacity=30))

    def complete(self, on: date, participants: int, hours: float) -> None:
        self.log.record(events.TrainingSessionCompleted, self.id, on, events.TrainingSessionCompletedPayload(
            **self.common, duration_hours=hours, participants=participants))

    def cancel(self, on: date) -> None:
        self.log.record(events.TrainingSessionCancelled, self.id, on, events.TrainingPayload(**self.common))


def history() -> list[Event]:
    log = Log()
    (log.accompaniment("38", date(2023, 3, 1))
        .reach("team_awareness", date(2023, 4, 1))
        .reach("readiness_assessed", date(2023, 5, 1))
        .reach("team_awareness", date(2023, 6, 1))  # steps repeat: still one accompaniment
        .hire(date(2023, 9, 1))
        .close("hired", date(2023, 10, 1)))
    log.accompaniment("69", date(2024, 1, 15)).reach("team_awareness", date(2024, 2, 1)).close(
        "abandoned", date(2024, 5, 1))
    log.accompaniment("75", date(2024, 2, 1)).reach("missions_defined", date(2024, 3, 1))
    log.accompaniment("38", date(2024, 3, 1)).close("postponed", date(2024, 3, 10))

    log.session("38", "awareness_for_professionals", "professionals", date(2023, 1, 10)).complete(
        date(2023, 2, 1), participants=12, hours=3.5)
    log.session("69", "peer_worker_training", "peer_workers", date(2023, 11, 1)).complete(
        date(2024, 1, 20), participants=8, hours=14)
    log.session("75", "awareness_for_professionals", "mixed", date(2024, 1, 5)).complete(
        date(2024, 3, 1), participants=20, hours=3.5)
    log.session("38", "peer_worker_training", "peer_workers", date(2024, 2, 1)).cancel(date(2024, 4, 1))
    log.session("38", "collective_peer_meeting", "peer_workers", date(2024, 5, 1))
    return log.events


@pytest.fixture
def store(statistics_location) -> Iterator[StatisticsStore]:
    store = StatisticsStore(statistics_location("s"))
    yield store
    store.close()


@pytest.fixture
def released(store, statistics_location) -> Iterator[tuple]:
    app, publisher, releases = released_app(store, statistics_location("releases"))
    yield app, publisher
    releases.close()


@pytest.fixture
def api(released) -> Iterator[httpx.Client]:
    with ServedApp(released[0]) as served, httpx.Client(base_url=served.url) as client:
        yield client


def get(api: httpx.Client, path: str, **params: str) -> dict:
    """Exact figures: these tests count from one."""
    response = api.get(path, params={**params, "exact": "true"}, headers=bearer("analyst"))
    assert response.status_code == 200, response.text
    return response.json()


def closed(**counts: int) -> dict[str, int]:
    return {"hired": 0, "postponed": 0, "abandoned": 0, "redirected": 0, **counts}


def test_accompaniments_stand_as_they_were_before_and_after_a_closure(store, api):
    store.apply(history(), last_sequence=100)
    before = get(api, "/stats/accompaniments", as_of="2023-09-30")
    assert (before["opened"], before["open"], before["closed_by_outcome"]) == (1, 1, closed())
    closing_day = get(api, "/stats/accompaniments", as_of="2023-10-01")
    assert (closing_day["open"], closing_day["closed_by_outcome"]) == (0, closed(hired=1))


def test_accompaniments_count_outcomes_milestones_and_years_of_request(store, api):
    store.apply(history(), last_sequence=100)
    national = get(api, "/stats/accompaniments", as_of="2024-12-31")
    assert (national["opened"], national["open"]) == (4, 1)
    assert national["closed_by_outcome"] == closed(hired=1, postponed=1, abandoned=1)
    assert {m: n for m, n in national["milestones"].items() if n} == {
        "team_awareness": 2, "readiness_assessed": 1, "peer_worker_hired": 1, "missions_defined": 1,
    }
    assert national["by_year"] == [
        {"year": 2023, "opened": 1, "open": 0, "closed_by_outcome": closed(hired=1)},
        {"year": 2024, "opened": 3, "open": 1, "closed_by_outcome": closed(postponed=1, abandoned=1)},
    ]
    for as_of in ("2023-04-01", "2024-01-31"):  # reached once its first time, not yet in 69
        assert get(api, "/stats/accompaniments", as_of=as_of)["milestones"]["team_awareness"] == 1


def test_accompaniments_of_a_region_and_of_a_departement(store, api):
    store.apply(history(), last_sequence=100)
    auvergne_rhone_alpes = get(api, "/stats/accompaniments/regions/84", as_of="2024-12-31")
    assert (auvergne_rhone_alpes["opened"], auvergne_rhone_alpes["open"]) == (3, 0)
    assert auvergne_rhone_alpes["milestones"]["missions_defined"] == 0  # reached in Paris
    paris = get(api, "/stats/accompaniments/departments/75", as_of="2024-12-31")
    assert (paris["opened"], paris["open"], paris["region"]) == (1, 1, "11")
    assert paris["milestones"]["missions_defined"] == 1
    isere = get(api, "/stats/accompaniments/departments/38", as_of="2024-12-31")
    assert isere["closed_by_outcome"] == closed(hired=1, postponed=1)


def test_unknown_codes_are_404_and_a_bad_date_is_422(api):
    assert api.get("/stats/accompaniments/regions/99").status_code == 404
    assert api.get("/stats/accompaniments/departments/20").status_code == 404
    assert api.get("/stats/trainings", params={"region": "99"}).status_code == 404
    assert api.get("/stats/trainings", params={"departement": "100"}).status_code == 404
    assert api.get("/stats/accompaniments", params={"as_of": "2024-02-30"}).status_code == 422


def test_trainings_count_participants_and_hours_by_kind_and_year(store, api):
    store.apply(history(), last_sequence=100)
    trainings = get(api, "/stats/trainings", as_of="2024-12-31")
    totals = [trainings[k] for k in ("scheduled", "delivered", "cancelled", "participants", "hours")]
    assert totals == [5, 3, 1, 40, 21.0]
    awareness = next(k for k in trainings["by_kind"] if k["kind"] == "awareness_for_professionals")
    assert (awareness["delivered"], awareness["participants"], awareness["hours"]) == (2, 32, 7.0)
    peer_workers = next(a for a in trainings["by_audience"] if a["audience"] == "peer_workers")
    assert (peer_workers["scheduled"], peer_workers["delivered"], peer_workers["cancelled"]) == (3, 1, 1)
    assert trainings["by_year"] == [
        {"year": 2023, "kind": "awareness_for_professionals", "audience": "professionals",
         "sessions": 1, "participants": 12, "hours": 3.5},
        {"year": 2024, "kind": "awareness_for_professionals", "audience": "mixed",
         "sessions": 1, "participants": 20, "hours": 3.5},
        {"year": 2024, "kind": "peer_worker_training", "audience": "peer_workers",
         "sessions": 1, "participants": 8, "hours": 14.0},
    ]


def test_a_cancelled_session_is_never_delivered(store, api):
    store.apply(history(), last_sequence=100)
    before = get(api, "/stats/trainings", as_of="2024-03-31", departement="38")
    after = get(api, "/stats/trainings", as_of="2024-04-01", departement="38")
    assert [before[k] for k in ("scheduled", "delivered", "cancelled")] == [2, 1, 0]
    assert [after[k] for k in ("scheduled", "delivered", "cancelled")] == [2, 1, 1]
    training = next(k for k in after["by_kind"] if k["kind"] == "peer_worker_training")
    assert (training["delivered"], training["cancelled"]) == (0, 1)


def test_trainings_of_a_region(store, api):
    store.apply(history(), last_sequence=100)
    region = get(api, "/stats/trainings", as_of="2024-12-31", region="84")
    assert [region[k] for k in ("region", "scheduled", "delivered", "participants", "hours")] == [
        "84", 4, 2, 20, 17.5,
    ]
    elsewhere = get(api, "/stats/trainings", as_of="2024-12-31", region="84", departement="75")
    assert (elsewhere["scheduled"], elsewhere["delivered"]) == (0, 0)


def test_a_redelivered_batch_is_not_counted_twice_even_after_reopening(statistics_location):
    batch = history()
    store = StatisticsStore(statistics_location("s"))
    store.apply(batch[:12], last_sequence=12)
    store.close()
    reopened = StatisticsStore(statistics_location("s"))
    reopened.apply(batch[6:], last_sequence=len(batch))  # overlaps what was applied
    reopened.apply(batch, last_sequence=len(batch))
    statistics = Statistics(reopened, threshold=10)
    accompaniments = statistics.accompaniments(date(2024, 12, 31))
    assert (accompaniments.opened, accompaniments.milestones["team_awareness"]) == (4, 2)
    trainings = statistics.trainings(date(2024, 12, 31), exact=True)
    assert (trainings.scheduled, trainings.delivered, trainings.participants) == (5, 3, 40)
    reopened.close()


def test_replaying_the_events_past_the_store_changes_no_figure(statistics_location):
    location = statistics_location("s")
    storage = location.open(MIGRATIONS, durable=True)
    recorded = history()
    with storage.transaction() as cursor:
        for event in recorded + recorded[::-1]:  # once more backwards: each fact comes again late
            PROJECTORS[type(event)](cursor, event)
    storage.close()
    store = StatisticsStore(location)
    statistics = Statistics(store, threshold=10)
    accompaniments = statistics.accompaniments(date(2024, 12, 31))
    assert (accompaniments.opened, accompaniments.open) == (4, 1)
    trainings = statistics.trainings(date(2024, 12, 31), exact=True)
    figures = (trainings.scheduled, trainings.delivered, trainings.cancelled, trainings.participants)
    assert figures == (5, 3, 1, 40)
    store.close()


def test_the_public_sees_no_small_number_of_participants(store, api, released):
    store.apply(history(), last_sequence=len(history()))
    released[1].publish()  # the release of 31 December 2024
    public = api.get("/stats/trainings", params={"as_of": "2024-12-31"}).json()
    exact = get(api, "/stats/trainings", as_of="2024-12-31")
    assert public["exact"] is False and public["hours"] == exact["hours"]
    small = [row for row in exact["by_year"] if 1 <= row["participants"] <= 10]
    assert small, "the history has a small count to hide"
    for row in public["by_year"]:
        original = next(r for r in exact["by_year"] if (r["year"], r["kind"], r["audience"]) == (row["year"], row["kind"], row["audience"]))
        assert row["participants"] in ("suppressed", original["participants"])
        if 1 <= original["participants"] <= 10:
            assert row["participants"] == "suppressed"
    regional = api.get("/stats/trainings", params={"as_of": "2024-12-31", "region": "84"}).json()
    assert regional["participants"] == "suppressed" and regional["delivered"] == exact["delivered"] - 1


def test_a_retracted_milestone_and_a_closure_taken_back_count_as_never_recorded(store, api):
    log = Log()
    paris = (log.accompaniment("75", date(2024, 2, 1))
             .reach("team_awareness", date(2024, 2, 10))
             .reach("missions_defined", date(2024, 3, 1))
             .reach("team_awareness", date(2024, 1, 5)))  # backdated, by mistake
    isere = log.accompaniment("38", date(2024, 3, 1)).close("postponed", date(2024, 3, 10))
    store.apply(log.events, last_sequence=len(log.events))
    before = get(api, "/stats/accompaniments", as_of="2024-12-31")
    assert (before["milestones"]["team_awareness"], before["milestones"]["missions_defined"]) == (1, 1)
    assert (before["open"], before["closed_by_outcome"]) == (1, closed(postponed=1))
    assert get(api, "/stats/accompaniments", as_of="2024-02-09")["milestones"]["team_awareness"] == 1
    applied = len(log.events)
    paris.retract("team_awareness", date(2024, 1, 5), still_reached_on=date(2024, 2, 10))
    paris.retract("missions_defined", date(2024, 3, 1))
    isere.reopen("postponed", date(2024, 3, 10))
    store.apply(log.events[applied:], last_sequence=len(log.events))
    after = get(api, "/stats/accompaniments", as_of="2024-12-31")
    assert (after["milestones"]["team_awareness"], after["milestones"]["missions_defined"]) == (1, 0)
    assert (after["open"], after["closed_by_outcome"]) == (2, closed())
    # Exact figures of the days themselves: as if the mistakes had never been recorded.
    assert get(api, "/stats/accompaniments", as_of="2024-02-09")["milestones"]["team_awareness"] == 0
    assert get(api, "/stats/accompaniments", as_of="2024-02-10")["milestones"]["team_awareness"] == 1
    assert get(api, "/stats/accompaniments", as_of="2024-03-01")["milestones"]["missions_defined"] == 0
    assert get(api, "/stats/accompaniments", as_of="2024-03-10")["closed_by_outcome"] == closed()
