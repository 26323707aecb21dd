"""The statistics store on a real SQLite file and a real PostgreSQL schema: effective dates,
exactly once in effect, and a rebuilt store compared and switched to."""

from datetime import UTC, date, datetime
from uuid import uuid4

from peerwork_contracts import registry as events
from peerwork_reporting.projection import census_changes
from peerwork_reporting.reads.census_reads import census_rows
from peerwork_reporting.reads.statistics import Statistics
from peerwork_reporting.storage.store import StatisticsStore

RECORDED = datetime(2024, 6, 1, tzinfo=UTC)


def event(event_class, position, aggregate_id, version, occurred_at, payload):  # noqa: ANN001
    return event_class.build(
        occurred_at=occurred_at, recorded_at=RECORDED, position=position,
        aggregate_id=aggregate_id, aggregate_version=version, payload=payload,
    )


def history():
    anne, structure = uuid4(), uuid4()
    return [
        event(events.PartnerStructureRegistered, 1, structure, 1, date(2019, 1, 1),
              events.PartnerStructureRegisteredPayload(name="R", siret=None, departement="69", sector="culture")),
        event(events.PeerWorkerRegistered, 2, anne, 1, date(2020, 1, 1),
              events.PeerWorkerRegisteredPayload(departement="38", domains=["addiction"])),
        event(events.EmploymentRecorded, 3, anne, 2, date(2020, 2, 1),
              events.EmploymentRecordedPayload(employment_id=uuid4(), structure_id=structure, starts_on=date(2020, 2, 1), ends_on=None)),
        event(events.PeerWorkerMoved, 4, anne, 3, date(2021, 1, 1),
              events.PeerWorkerMovedPayload(from_departement="38", to_departement="2A")),
        event(events.PeerWorkerWithdrawn, 5, anne, 4, date(2022, 1, 1),
              events.PeerWorkerWithdrawnPayload(departement="2A")),
    ]


def test_figures_stand_as_they_were_at_each_date(statistics_location):
    store = StatisticsStore(statistics_location("s"))
    store.apply(history(), last_sequence=5)
    statistics = Statistics(store, threshold=10)
    assert statistics.national(date(2018, 12, 31), exact=True).partner_structures == 0
    in_2020 = statistics.national(date(2020, 6, 1), exact=True)
    assert (in_2020.peer_workers, in_2020.employed_peer_workers, in_2020.departements_covered) == (1, 1, 2)
    assert statistics.departement("2A", date(2021, 6, 1), exact=True).peer_workers == 1
    assert statistics.departement("38", date(2021, 6, 1), exact=True).peer_workers == 0
    assert statistics.national(date(2022, 1, 1), exact=True).peer_workers == 0  # withdrawn that day
    assert statistics.region("84", date(2020, 6, 1), exact=True).share_of_peer_workers == 1.0


def test_a_redelivered_batch_is_not_counted_twice_even_after_reopening(statistics_location):
    store = StatisticsStore(statistics_location("s"))
    batch = history()[:2]
    assert store.apply(batch, last_sequence=2) == []
    store.close()
    reopened = StatisticsStore(statistics_location("s"))
    assert reopened.last_sequence() == 2
    reopened.apply(batch, last_sequence=2)
    figures = Statistics(reopened, threshold=10).national(date(2024, 1, 1), exact=True)
    assert (figures.peer_workers, figures.partner_structures) == (1, 1)


def test_public_figures_hide_small_counts_of_people_but_not_of_structures(statistics_location):
    store = StatisticsStore(statistics_location("s"))
    store.apply(history()[:3], last_sequence=3)
    public = Statistics(store, threshold=10).national(date(2020, 6, 1))
    assert (public.exact, public.peer_workers, public.employed_peer_workers) == (False, "suppressed", "suppressed")
    assert public.partner_structures == 1
    region = Statistics(store, threshold=10).region("84", date(2020, 6, 1))
    assert region.share_of_peer_workers == "suppressed"
    assert Statistics(store, threshold=10).national(date(2018, 6, 1)).peer_workers == 0  # nobody is no one


def test_two_stores_agree_only_when_their_views_hold_the_same_rows(statistics_location):
    recorded = history()
    live, fresh = StatisticsStore(statistics_location("live")), StatisticsStore(statistics_location("fresh"))
    live.apply(recorded, last_sequence=5)
    fresh.apply(recorded[:3], last_sequence=3)
    fresh.apply(recorded, last_sequence=5)  # redelivered in part: still the same rows
    assert live.differences(fresh) == []
    live.mirror_to(fresh)
    extra = event(events.PartnerStructureRegistered, 6, uuid4(), 1, date(2023, 1, 1),
                  events.PartnerStructureRegisteredPayload(name="X", siret=None, departement="75", sector="other"))
    live.apply([extra], last_sequence=6)
    assert live.differences(fresh) == [] and fresh.last_sequence() == 6
    live.mirror_to(None)
    fresh.apply([event(events.PeerWorkerRegistered, 7, uuid4(), 1, date(2023, 1, 1),
                       events.PeerWorkerRegisteredPayload(departement="75", domains=["other"]))], last_sequence=7)
    assert live.differences(fresh) == ["census_changes", "peer_worker_domains", "peer_worker_spells"]
    live.switch_to(fresh)
    assert (live.location, live.last_sequence()) == (statistics_location("fresh"), 7)
    assert Statistics(live, threshold=10).national(date(2024, 1, 1), exact=True).peer_workers == 1


def test_figures_hold_across_months_without_changes_between_reads(statistics_location):
    store = StatisticsStore(statistics_location("s"))
    anne, bob = history()[1], history()[1].model_copy(update={"position": 9, "aggregate_id": uuid4(), "occurred_at": date(2020, 3, 5)})
    store.apply([anne], last_sequence=1)
    assert Statistics(store, threshold=10).departement("38", date(2020, 1, 31), exact=True).peer_workers == 1
    store.apply([bob], last_sequence=2)  # two months later: the month between has no change
    assert Statistics(store, threshold=10).departement("38", date(2020, 4, 30), exact=True).peer_workers == 2


def test_a_switch_is_recorded_so_that_a_restart_opens_the_rebuilt_store(statistics_location):
    configured = statistics_location("s")
    live = StatisticsStore(configured.in_use())
    live.apply(history()[:3], last_sequence=3)
    rebuilt = configured.fresh(datetime(2024, 6, 1, 12, tzinfo=UTC))
    assert rebuilt not in (configured, configured.in_use())
    fresh = StatisticsStore(rebuilt, durable=False)
    fresh.apply(history(), last_sequence=5)
    live.switch_to(fresh)
    configured.point_to(rebuilt)
    live.close()
    assert configured.in_use() == rebuilt
    restarted = StatisticsStore(configured.in_use())
    assert restarted.last_sequence() == 5
    assert Statistics(restarted, threshold=10).national(date(2021, 6, 1), exact=True).peer_workers == 1
    restarted.close()


def test_a_read_sees_one_snapshot_whatever_is_applied_meanwhile(statistics_location):
    store = StatisticsStore(statistics_location("s"))
    recorded = history()
    store.apply(recorded[:2], last_sequence=2)

    def read_twice(cursor, day):  # noqa: ANN001, ANN202
        first = census_rows(cursor, day)
        store.apply(recorded[2:3], last_sequence=3)  # an employment from 1 February, committed now
        return first, census_rows(cursor, day)

    first, second = store.read(read_twice, date(2020, 2, 15))
    assert first == second and first["38"].employed_peer_workers == 0
    assert store.read(census_rows, date(2020, 2, 15))["38"].employed_peer_workers == 1
    store.close()


def test_changes_left_pending_across_batches_count_as_when_read_after_each(statistics_location, monkeypatch):
    monkeypatch.setattr(census_changes, "FOLD_AT", 4)  # some batches fold, others leave them pending
    recorded = history()
    read_each, pending = StatisticsStore(statistics_location("each")), StatisticsStore(statistics_location("pending"))
    for last in range(1, 6):
        read_each.apply(recorded[:last], last_sequence=last)
        read_each.read(census_rows, date(2020, 1, 1))
        pending.apply(recorded[last - 1:last], last_sequence=last)
    for day in (date(2019, 6, 1), date(2020, 3, 1), date(2021, 6, 1), date(2022, 6, 1)):
        assert pending.read(census_rows, day) == read_each.read(census_rows, day)
    assert read_each.differences(pending) == []


def test_changes_that_cancel_out_make_no_difference_between_stores(statistics_location):
    # Bob leaves the 38 the day Anne arrives: one batch sums their changes to nothing there,
    # two batches leave a change of 0.
    anne, bob, day = uuid4(), uuid4(), date(2021, 3, 1)
    payload = events.PeerWorkerRegisteredPayload(departement="38", domains=["addiction"])
    bob_events = [
        event(events.PeerWorkerRegistered, 1, bob, 1, date(2020, 1, 1), payload),
        event(events.PeerWorkerMoved, 2, bob, 2, day,
              events.PeerWorkerMovedPayload(from_departement="38", to_departement="69")),
    ]
    anne_events = [event(events.PeerWorkerRegistered, 3, anne, 1, day, payload)]
    together, apart = StatisticsStore(statistics_location("together")), StatisticsStore(statistics_location("apart"))
    together.apply(bob_events + anne_events, last_sequence=3)
    apart.apply(bob_events, last_sequence=2)
    apart.read(census_rows, day)  # folds Bob's changes in
    apart.apply(anne_events, last_sequence=3)
    assert together.differences(apart) == []
    assert together.read(census_rows, day)["38"].peer_workers == 1


def test_an_erased_peer_worker_leaves_no_row_and_every_figure_as_it_was(statistics_location):
    """Anne, the only peer worker, counted from 2020 (before any structure), is erased at
    her request in 2024."""
    recorded = history()
    recorded[0] = recorded[0].model_copy(update={"occurred_at": date(2021, 6, 1)})
    anne = recorded[1].aggregate_id
    erased = event(events.PeerWorkerErased, 6, anne, 5, date(2024, 3, 1), events.PeerWorkerErasedPayload())
    kept, forgotten = StatisticsStore(statistics_location("kept")), StatisticsStore(statistics_location("erased"))
    kept.apply(recorded, last_sequence=5)
    forgotten.apply(recorded[:3], last_sequence=3)
    forgotten.apply(recorded[3:] + [erased], last_sequence=6)

    def rows_about_anne(cursor, _day):  # noqa: ANN001, ANN202
        return [
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE peer_worker_id = ?", (str(anne),)).fetchone()[0]
            for table in ("peer_worker_spells", "peer_worker_domains", "employments")
        ]

    assert kept.read(rows_about_anne, date(2024, 6, 1)) != [0, 0, 0]  # the check below can fail
    assert forgotten.read(rows_about_anne, date(2024, 6, 1)) == [0, 0, 0]
    for statistics in (Statistics(kept, threshold=10), Statistics(forgotten, threshold=10)):
        assert statistics.national(date(2020, 6, 1), exact=True).employed_peer_workers == 1
        assert statistics.departement("2A", date(2021, 6, 1), exact=True).peer_workers == 1
    kept_series = Statistics(kept, threshold=10).series(date(2024, 6, 1), exact=True)
    assert kept_series == Statistics(forgotten, threshold=10).series(date(2024, 6, 1), exact=True)
    assert kept_series.years[0].year == 2020  # Anne's first year is still the first
    # A rebuild from the stream forgets her the same way.
    rebuilt = StatisticsStore(statistics_location("rebuilt"))
    rebuilt.apply(recorded + [erased], last_sequence=6)
    assert forgotten.differences(rebuilt) == []
