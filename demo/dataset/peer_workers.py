"""The peer workers: registered every year up to the 2022 census (12 % of it in
Auvergne-Rhône-Alpes), some withdrawn, moved or employed; and whom the hirings of registered
peer workers name."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..figures import ARA
from .drawing import between, draw_domains, in_year, near, pick, region_of, so_far, split
from .records import Employment, Hiring, PeerWorker, Structure
from .volumes import (
    AFTER_REFERENCE,
    ARA_PEER_WORKERS,
    DEPARTEMENTS,
    EMPLOYED,
    FIRST_YEAR,
    MOVING,
    PEER_WORKER_WEIGHTS,
    PEER_WORKERS_AT_REFERENCE,
    REFERENCE_DAY,
    WITHDRAWN_BY_REFERENCE,
    WITHDRAWN_LATER,
    registrations_in,
)


def draw_peer_workers(
    rng: random.Random, structures: list[Structure], hirings: list[Hiring], today: date
) -> list[PeerWorker]:
    counted = [h for h in hirings if h.new and h.occurred_on <= REFERENCE_DAY]
    in_census = PEER_WORKERS_AT_REFERENCE - len(counted)
    ara = ARA_PEER_WORKERS - sum(region_of(h.structure.departement) == ARA for h in counted)
    left = round(in_census * WITHDRAWN_BY_REFERENCE)
    years = range(FIRST_YEAR, REFERENCE_DAY.year + 1)
    days = sorted(
        in_year(rng, year, today)
        for year, count in zip(years, split(in_census + left, PEER_WORKER_WEIGHTS))
        for _ in range(count)
    ) + sorted(
        in_year(rng, year, today)
        for year in range(REFERENCE_DAY.year + 1, today.year + 1)
        for _ in range(so_far(registrations_in(year), year, today))
    )
    peer_workers = [
        PeerWorker(f"peer_worker:{n:04d}", n, pick(rng, DEPARTEMENTS), draw_domains(rng), day)
        for n, day in enumerate(days, start=1)
    ]
    early = [p for p in peer_workers if p.registered_on <= REFERENCE_DAY - timedelta(days=60)]
    for peer_worker in rng.sample(early, left):
        peer_worker.withdrawn_on = between(
            rng, peer_worker.registered_on + timedelta(days=30), REFERENCE_DAY
        )
    for peer_worker in peer_workers:
        since = max(peer_worker.registered_on + timedelta(days=30), AFTER_REFERENCE)
        if peer_worker.withdrawn_on is None and since <= today and rng.random() < WITHDRAWN_LATER:
            peer_worker.withdrawn_on = between(rng, since, today)
        _move(rng, peer_worker, today)
    _balance_ara(rng, peer_workers, ara)
    for peer_worker in peer_workers:
        _employ(rng, peer_worker, structures, today)
    return peer_workers


def _move(rng: random.Random, peer_worker: PeerWorker, today: date) -> None:
    last = peer_worker.withdrawn_on or today
    since = peer_worker.registered_on
    for chance in (MOVING, 0.15):
        first = since + timedelta(days=60)
        if first > last or rng.random() >= chance:
            return
        since = between(rng, first, last)
        current = peer_worker.departement_on(since)
        same_region = [d for d in DEPARTEMENTS if region_of(d) == region_of(current) and d != current]
        others = same_region if same_region and rng.random() < 0.5 else list(DEPARTEMENTS)
        to = rng.choice([d for d in others if d != current])
        peer_worker.moves.append((since, to))


def _balance_ara(rng: random.Random, peer_workers: list[PeerWorker], target: int) -> None:
    """Registers just enough peer workers of the 2022 census in ARA (only people who never
    move, so that no move becomes one to the département they are in)."""
    census = [p for p in peer_workers if p.active_on(REFERENCE_DAY)]
    inside = [p for p in census if region_of(p.departement_on(REFERENCE_DAY)) == ARA]
    ara = {d: w for d, w in DEPARTEMENTS.items() if region_of(d) == ARA}
    elsewhere = {d: w for d, w in DEPARTEMENTS.items() if region_of(d) != ARA}
    if len(inside) > target:
        settled = [p for p in inside if not p.moves]
        weights, count = elsewhere, len(inside) - target
    else:
        settled = [p for p in census if not p.moves and p not in inside]
        weights, count = ara, target - len(inside)
    for peer_worker in rng.sample(settled, count):
        peer_worker.departement = pick(rng, weights)


def _employ(
    rng: random.Random, peer_worker: PeerWorker, structures: list[Structure], today: date
) -> None:
    """Most peer workers are employed soon after registering; some employments end and a
    few are followed by another one. Nothing starts after a withdrawal."""
    last = peer_worker.withdrawn_on or today
    day = min(peer_worker.registered_on + timedelta(days=rng.randint(0, 200)), last)
    for chance in (EMPLOYED, 0.4):
        if rng.random() >= chance:
            return
        known = [
            s for s in structures
            if s.registered_on <= day and all(e.structure is not s for e in peer_worker.employments)
        ]
        structure = near(rng, known, peer_worker.departement_on(day), lambda s: s.departement)
        if structure is None:
            return
        key = f"employment:{peer_worker.number:04d}:{len(peer_worker.employments) + 1}"
        employment = Employment(key, structure, day)
        peer_worker.employments.append(employment)
        if rng.random() < 0.08:
            employment.known_end = day + timedelta(days=rng.choice((182, 365)))
            end = employment.known_end
        else:
            end = day + timedelta(days=rng.randint(120, 1100))
            if rng.random() >= 0.25 or end > last:
                return
            employment.ended_on = end
        day = end + timedelta(days=rng.randint(0, 90))
        if day > last:
            return


def name_the_hired(
    rng: random.Random, hirings: list[Hiring], peer_workers: list[PeerWorker]
) -> None:
    """Hirings of registered peer workers name someone the registry will accept, from the
    structure's département if possible and not employed at the time if possible."""
    new = 0
    for hiring in sorted(hirings, key=lambda h: h.occurred_on):
        if hiring.new:
            new += 1
            hiring.key = f"peer_worker:hired:{new:03d}"
            continue
        day = hiring.occurred_on
        eligible = [p for p in peer_workers if p.may_be_hired_by(hiring.structure, day)]
        free = [p for p in eligible if not p.employed_on(day)]
        where = hiring.structure.departement
        peer_worker = near(rng, free or eligible, where, lambda p, on=day: p.departement_on(on))
        if peer_worker is None:
            raise ValueError(f"nobody the registry would accept for the hiring of {day}")
        hiring.peer_worker = peer_worker
        peer_worker.hirings.append(hiring)
