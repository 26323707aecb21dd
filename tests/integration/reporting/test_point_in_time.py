"""Figures as they stood on any day, checked against a brute-force recomputation from the
raw events: backdated records, moves, withdrawals, ended employments and corrected
structures included.

Histories are made by random commands through the registry itself, so they hold only what
the registry accepts, and reach the store as the contract events it publishes, in batches
of random sizes, some delivered twice. On SQLite, and on PostgreSQL with fewer histories:
the SQL is the same, what differs is how each database runs it."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerwork_common.domain.errors import DomainError
from peerwork_contracts import geography
from peerwork_contracts import registry as contract
from peerwork_registry.application import Registry
from peerwork_registry.publication import to_contract
from peerwork_reporting.ports import Location
from peerwork_reporting.reads.census_reads import census_rows
from peerwork_reporting.reads.census_statistics import Census
from peerwork_reporting.reads.statistics import Statistics
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT
from tests.integration.statistics_locations import postgres_schema

START = date(2020, 1, 1)
DEPARTEMENTS = ["38", "69", "2A", "971"]
DOMAINS = ["addiction", "violence", "mental_health"]
SECTORS = ["culture", "addiction"]

days = st.integers(0, 400).map(lambda n: START + timedelta(days=n))  # over a year: months matter
commands = st.one_of(
    st.tuples(st.just("structure"), st.sampled_from(DEPARTEMENTS), st.sampled_from(SECTORS), days),
    st.tuples(st.just("peer_worker"), st.sampled_from(DEPARTEMENTS),
              st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=2), days),
    st.tuples(st.just("employ"), st.integers(0, 9), st.integers(0, 4), days, st.none() | st.integers(1, 20)),
    st.tuples(st.just("end"), st.integers(0, 9), st.integers(0, 3), days),
    st.tuples(st.just("move"), st.integers(0, 9), st.sampled_from(DEPARTEMENTS), days),
    st.tuples(st.just("withdraw"), st.integers(0, 9), days),
    st.tuples(st.just("correct"), st.integers(0, 9), st.sampled_from(DEPARTEMENTS), st.sampled_from(SECTORS)),
)


def run(registry: Registry, history: list[tuple]) -> None:
    structures, peer_workers = [], []
    for command in history:
        kind, *args = command
        try:
            if kind == "structure":
                structures.append(registry.register_structure(f"S{len(structures)}", None, args[0], args[1], args[2]))
            elif kind == "peer_worker":
                peer_workers.append(registry.register_peer_worker("P", args[0], args[1], args[2], legal_basis=CONSENT))
            elif kind == "employ" and peer_workers and structures:
                worker = peer_workers[args[0] % len(peer_workers)]
                ends_on = None if args[3] is None else args[2] + timedelta(days=args[3])
                registry.record_employment(worker, structures[args[1] % len(structures)], args[2], ends_on)
            elif kind == "end" and peer_workers:
                worker = registry.get_peer_worker(peer_workers[args[0] % len(peer_workers)])
                employments = list(worker.employments)
                if employments:
                    registry.end_employment(worker.id, employments[args[1] % len(employments)], args[2])
            elif kind == "move" and peer_workers:
                registry.move_peer_worker(peer_workers[args[0] % len(peer_workers)], args[1], args[2])
            elif kind == "withdraw" and peer_workers:
                registry.withdraw_peer_worker(peer_workers[args[0] % len(peer_workers)], args[1])
            elif kind == "correct" and structures:
                corrected = {"departement": args[1], "sector": args[2]}
                registry.correct_structure(structures[args[0] % len(structures)], "typo", corrected)
        except DomainError:
            pass  # refused: stores nothing, as the API would answer 409


def published(registry: Registry) -> list:
    notifications = registry.recorder.select_notifications(start=1, limit=10_000)
    return [e for n in notifications if (e := to_contract(registry.mapper.to_domain_event(n), n.id)) is not None]


def brute_force(events: list, day: date) -> dict[str, Counter]:
    """Each département's figures on ``day``, straight from the events."""
    home, domains, withdrawn = {}, {}, {}
    structures: dict = {}  # as corrected: a correction is dated as the registration
    employments: dict = {}
    # Employers' sectors as last corrected, whatever the day: a correction counts as if always so.
    sectors = {
        e.aggregate_id: e.payload.sector for e in events
        if isinstance(e, contract.PartnerStructureRegistered | contract.PartnerStructureCorrected)
    }
    for event in events:
        if event.occurred_at > day and not isinstance(event, contract.EmploymentRecorded | contract.EmploymentEnded):
            continue
        match event:
            case contract.PartnerStructureRegistered() | contract.PartnerStructureCorrected():
                structures[event.aggregate_id] = (event.payload.departement, event.payload.sector)
            case contract.PeerWorkerRegistered():
                home[event.aggregate_id] = event.payload.departement
                domains[event.aggregate_id] = event.payload.domains
            case contract.PeerWorkerMoved():
                home[event.aggregate_id] = event.payload.to_departement
            case contract.PeerWorkerWithdrawn():
                withdrawn[event.aggregate_id] = event.occurred_at
            case contract.EmploymentRecorded():
                employments[event.payload.employment_id] = [
                    event.aggregate_id, event.payload.starts_on, event.payload.ends_on, event.payload.structure_id,
                ]
            case contract.EmploymentEnded():
                employments[event.payload.employment_id][2] = event.payload.ends_on
    # A withdrawal ends every employment still going on that day, whatever its known end.
    for worker_id, left in _withdrawals(events).items():
        for employment in employments.values():
            if employment[0] == worker_id and (employment[2] is None or employment[2] > left):
                employment[2] = left
    figures: defaultdict[str, Counter] = defaultdict(Counter)
    for departement, sector in structures.values():
        figures[departement]["partner_structures"] += 1
        figures[departement][f"sector:{sector}"] += 1
    for worker_id, departement in home.items():
        if worker_id in withdrawn:
            continue
        figures[departement]["peer_workers"] += 1
        for domain in domains[worker_id]:
            figures[departement][f"domain:{domain}"] += 1
        employers = [e[3] for e in employments.values() if e[0] == worker_id and e[1] <= day and (e[2] is None or e[2] > day)]
        if employers:
            figures[departement]["employed_peer_workers"] += 1
        for sector in {sectors[structure_id] for structure_id in employers}:  # once in each of their sectors
            figures[departement][f"employed_sector:{sector}"] += 1
    return figures


def _withdrawals(events: list) -> dict:
    return {e.aggregate_id: e.occurred_at for e in events if isinstance(e, contract.PeerWorkerWithdrawn)}


def projected(store: StatisticsStore, day: date) -> dict[str, Counter]:
    figures = {}
    for departement, row in store.read(census_rows, day).items():
        counts = Counter({
            "peer_workers": row.peer_workers,
            "partner_structures": row.partner_structures,
            "employed_peer_workers": row.employed_peer_workers,
            **{f"domain:{d}": n for d, n in row.peer_workers_by_domain.items()},
            **{f"sector:{s}": n for s, n in row.structures_by_sector.items()},
            **{f"employed_sector:{s}": n for s, n in row.employed_by_sector.items()},
        })
        figures[departement] = +counts  # drops the zeros, as the brute force has none
    return figures


histories = given(
    history=st.lists(commands, min_size=1, max_size=40),
    cuts=st.lists(st.integers(1, 8), min_size=1, max_size=10),
    replays=st.integers(0, 3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@histories
def test_the_projection_agrees_with_the_events_on_every_day(tmp_path_factory, history, cuts, replays):
    agrees(tmp_path_factory.mktemp("pit") / "s.sqlite", history, cuts, replays)


@pytest.mark.postgres
@settings(max_examples=15, deadline=None)
@histories
def test_the_projection_agrees_with_the_events_on_every_day_on_postgresql(postgres_env, history, cuts, replays):
    agrees(postgres_schema(postgres_env, f"pit_{uuid4().hex}"), history, cuts, replays)


def places_read_alone(store: StatisticsStore, day: date) -> None:
    """A place's exact figures, read from its départements only, are the whole census's."""
    whole, statistics = Census(store.read(census_rows, day), None), Statistics(store, threshold=3)
    for code in DEPARTEMENTS:
        region = geography.region_of(code)
        assert statistics.region(region.code, day, exact=True) == whole.region_detail(region), (region, day)
        assert statistics.departement(code, day, exact=True) == whole.departement(code), (code, day)


def agrees(location: Location | Path, history: list[tuple], cuts: list[int], replays: int) -> None:
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    run(registry, history)
    events = published(registry)
    store = StatisticsStore(location)
    try:
        position, step = 0, 0
        while position < len(events):
            size = cuts[step % len(cuts)]
            batch = events[max(0, position - replays):position + size]  # the last few again
            store.apply(batch, last_sequence=min(position + size, len(events)))
            position, step = position + size, step + 1
            projected(store, START)  # a read between batches: checkpoints then lag behind
        for offset in range(-1, 430, 7):
            day = START + timedelta(days=offset)
            assert projected(store, day) == {k: +v for k, v in brute_force(events, day).items() if +v}, day
            places_read_alone(store, day)
        national = Census(store.read(census_rows, START + timedelta(days=30)), None).national(START)
        expected = sum(c["peer_workers"] for c in brute_force(events, START + timedelta(days=30)).values())
        assert national.peer_workers == expected
    finally:
        store.close()
