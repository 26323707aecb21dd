"""Corrections and merges count as if the mistake had never been made: figures on any day,
checked against a recomputation from the raw events in which each correction rewrites the
facts it corrects. Histories are made by random commands through the registry itself, and
reach the store as the contract events it publishes, in batches of random sizes, some
delivered twice; on SQLite and PostgreSQL."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerwork_common.domain.errors import DomainError
from peerwork_contracts import registry as contract
from peerwork_registry.application import Registry
from peerwork_reporting.ports import Location
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT
from tests.integration.reporting.test_point_in_time import (
    DEPARTEMENTS,
    DOMAINS,
    SECTORS,
    START,
    commands,
    days,
    projected,
    published,
)
from tests.integration.statistics_locations import postgres_schema

WHY = "recorded by mistake"
corrections = st.one_of(
    st.tuples(st.just("correct_registration"), st.integers(0, 9), st.none() | st.sampled_from(DEPARTEMENTS),
              st.none() | days, st.none() | st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=2)),
    st.tuples(st.just("correct_employment"), st.integers(0, 9), st.integers(0, 3), days,
              st.none() | st.integers(1, 60)),
    st.tuples(st.just("cancel"), st.integers(0, 9), st.integers(0, 3)),
    st.tuples(st.just("reinstate"), st.integers(0, 9)),
    st.tuples(st.just("merge"), st.integers(0, 9), st.integers(0, 9)),
    # Facts a correction can then put right, more often than absolute days give them.
    st.tuples(st.just("hire"), st.integers(0, 9), st.integers(0, 4), st.integers(0, 60), st.none() | st.integers(1, 60)),
    st.tuples(st.just("leave"), st.integers(0, 9), st.integers(0, 60)),
)


def run(registry: Registry, history: list[tuple]) -> None:
    structures, peer_workers = [], []

    def worker(index: int):  # noqa: ANN202
        return registry.get_peer_worker(peer_workers[index % len(peer_workers)])

    def employment(peer_worker, index: int):  # noqa: ANN001, ANN202
        employments = list(peer_worker.employments)
        return employments[index % len(employments)] if employments else uuid4()

    for kind, *args in history:
        try:
            if kind == "structure":
                structures.append(registry.register_structure("S", None, args[0], args[1], args[2]))
            elif kind == "peer_worker":
                peer_workers.append(registry.register_peer_worker("P", args[0], args[1], args[2], legal_basis=CONSENT))
            elif not peer_workers:
                continue
            elif kind == "employ" and structures:
                ends_on = None if args[3] is None else args[2] + timedelta(days=args[3])
                registry.record_employment(
                    worker(args[0]).id, structures[args[1] % len(structures)], args[2], ends_on
                )
            elif kind == "end":
                peer_worker = worker(args[0])
                registry.end_employment(peer_worker.id, employment(peer_worker, args[1]), args[2])
            elif kind == "move":
                registry.move_peer_worker(worker(args[0]).id, args[1], args[2])
            elif kind == "hire" and structures:
                peer_worker = worker(args[0])
                starts_on = peer_worker.registered_on + timedelta(days=args[2])
                ends_on = None if args[3] is None else starts_on + timedelta(days=args[3])
                registry.record_employment(peer_worker.id, structures[args[1] % len(structures)], starts_on, ends_on)
            elif kind == "leave":
                peer_worker = worker(args[0])
                registry.withdraw_peer_worker(peer_worker.id, peer_worker.latest_fact_on() + timedelta(days=args[1]))
            elif kind == "withdraw":
                registry.withdraw_peer_worker(worker(args[0]).id, args[1])
            elif kind == "correct_registration":
                registry.correct_registration(worker(args[0]).id, args[1], args[2], args[3], WHY)
            elif kind == "correct_employment":
                peer_worker = worker(args[0])
                ends_on = None if args[3] is None else args[2] + timedelta(days=args[3])
                registry.correct_employment(
                    peer_worker.id, employment(peer_worker, args[1]), args[2], ends_on, WHY
                )
            elif kind == "cancel":
                peer_worker = worker(args[0])
                registry.cancel_employment(peer_worker.id, employment(peer_worker, args[1]), WHY)
            elif kind == "reinstate":
                registry.reinstate_peer_worker(worker(args[0]).id, WHY)
            elif kind == "merge":
                registry.merge_peer_workers(worker(args[0]).id, worker(args[1]).id, WHY)
        except DomainError:
            pass  # refused (a merged one too): stores nothing, as the API would answer 4xx


def brute_force(events: list, day: date) -> dict[str, Counter]:
    """Each département's figures on ``day``: the facts as corrected, then counted."""
    workers: dict = {}
    structures: list[tuple[str, str, date]] = []
    sector_of: dict = {}  # structure id -> sector
    employments: dict = {}  # id -> [peer worker, starts_on, ends_on, structure id]
    ended_by_withdrawal: dict = defaultdict(dict)
    for event in events:
        payload, worker = event.payload, workers.get(event.aggregate_id)
        match event:
            case contract.PartnerStructureRegistered():
                structures.append((payload.departement, payload.sector, event.occurred_at))
                sector_of[event.aggregate_id] = payload.sector
            case contract.PeerWorkerRegistered():
                workers[event.aggregate_id] = {
                    "registered": (payload.departement, event.occurred_at), "moves": [],
                    "withdrawn": None, "domains": set(payload.domains), "merged": False,
                }
            case contract.PeerWorkerMoved():
                worker["moves"].append((event.occurred_at, payload.to_departement))
            case contract.PeerWorkerWithdrawn():
                worker["withdrawn"] = event.occurred_at
                for employment_id, employment in employments.items():
                    if employment[0] == event.aggregate_id and (employment[2] is None or employment[2] > event.occurred_at):
                        ended_by_withdrawal[event.aggregate_id][employment_id] = employment[2]
                        employment[2] = event.occurred_at
            case contract.EmploymentRecorded():
                employments[payload.employment_id] = [
                    event.aggregate_id, payload.starts_on, payload.ends_on, payload.structure_id
                ]
            case contract.EmploymentEnded():
                employments[payload.employment_id][2] = payload.ends_on
            case contract.PeerWorkerRegistrationCorrected():
                worker["registered"] = (payload.departement, payload.registered_on)
                worker["domains"] = set(payload.domains)
            case contract.EmploymentCorrected():
                employments[payload.employment_id] = [
                    event.aggregate_id, payload.starts_on, payload.ends_on, payload.structure_id
                ]
                ended_by_withdrawal[event.aggregate_id].pop(payload.employment_id, None)
            case contract.EmploymentCancelled():
                del employments[payload.employment_id]
                ended_by_withdrawal[event.aggregate_id].pop(payload.employment_id, None)
            case contract.PeerWorkerReinstated():
                worker["withdrawn"] = None
                for employment_id, ends_on in ended_by_withdrawal.pop(event.aggregate_id, {}).items():
                    employments[employment_id][2] = ends_on
            case contract.PeerWorkerMerged():
                worker["merged"] = True
                for employment_id in [i for i, e in employments.items() if e[0] == event.aggregate_id]:
                    del employments[employment_id]
    figures: defaultdict[str, Counter] = defaultdict(Counter)
    for departement, sector, since in structures:
        if since <= day:
            figures[departement]["partner_structures"] += 1
            figures[departement][f"sector:{sector}"] += 1
    for worker_id, worker in workers.items():
        departement, registered_on = worker["registered"]
        left = worker["withdrawn"]
        if worker["merged"] or registered_on > day or (left is not None and left <= day):
            continue
        for moved_on, to_departement in worker["moves"]:
            if moved_on <= day:
                departement = to_departement
        figures[departement]["peer_workers"] += 1
        for domain in worker["domains"]:
            figures[departement][f"domain:{domain}"] += 1
        employers = [e[3] for e in employments.values() if e[0] == worker_id and e[1] <= day and (e[2] is None or e[2] > day)]
        if employers:
            figures[departement]["employed_peer_workers"] += 1
        for sector in {sector_of[structure_id] for structure_id in employers}:  # once in each of their sectors
            figures[departement][f"employed_sector:{sector}"] += 1
    return figures


# A few structures and peer workers first, so that most commands have something to act on.
early = st.integers(0, 100).map(lambda n: START + timedelta(days=n))
setup = st.tuples(
    st.lists(st.tuples(st.just("structure"), st.sampled_from(DEPARTEMENTS), st.sampled_from(SECTORS), early),
             min_size=2, max_size=3),
    st.lists(st.tuples(st.just("peer_worker"), st.sampled_from(DEPARTEMENTS),
                       st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=2), early), min_size=3, max_size=4),
).map(lambda both: both[0] + both[1])
histories = given(
    history=st.tuples(setup, st.lists(st.one_of(commands, corrections), min_size=5, max_size=50)).map(
        lambda both: both[0] + both[1]
    ),
    cuts=st.lists(st.integers(1, 8), min_size=1, max_size=10),
    replays=st.integers(0, 3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@histories
def test_corrected_facts_count_as_if_the_mistake_had_never_been_made(tmp_path_factory, history, cuts, replays):
    agrees(tmp_path_factory.mktemp("pitc") / "s.sqlite", history, cuts, replays)


@pytest.mark.postgres
@settings(max_examples=15, deadline=None)
@histories
def test_corrected_facts_count_as_if_the_mistake_had_never_been_made_on_postgresql(
    postgres_env, history, cuts, replays
):
    agrees(postgres_schema(postgres_env, f"pitc_{uuid4().hex}"), history, cuts, replays)


def agrees(location: Location | Path, history: list[tuple], cuts: list[int], replays: int) -> None:
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    run(registry, history)
    events = [event for event in published(registry) if event is not None]
    store = StatisticsStore(location)
    try:
        position, step = 0, 0
        while position < len(events):
            size = cuts[step % len(cuts)]
            batch = events[max(0, position - replays):position + size]  # the last few again
            store.apply(batch, last_sequence=min(position + size, len(events)))
            position, step = position + size, step + 1
            projected(store, START)  # a read between batches
        for offset in range(-1, 430, 7):
            day = START + timedelta(days=offset)
            assert projected(store, day) == {k: +v for k, v in brute_force(events, day).items() if +v}, day
    finally:
        store.close()
