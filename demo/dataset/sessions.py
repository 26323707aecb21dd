"""Training sessions: their kinds and shapes, who enrols in each, and how each is delivered
(or cancelled); a few are planned for the coming months."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from .drawing import between, in_year, pick, region_of, so_far
from .records import Enrolment, Kind, PeerWorker, Session, Structure
from .volumes import DEPARTEMENTS, FIRST_YEAR, sessions_in

KINDS: dict[Kind, int] = {
    "awareness_for_professionals": 30, "training_for_professionals": 20,
    "peer_worker_training": 20, "university_diploma_support": 10, "collective_peer_meeting": 20,
}
# kind: (days after the first, hours, capacity, audiences)
SHAPES: dict[Kind, tuple[tuple[int, int], tuple[float, ...], tuple[int, int], tuple[str, ...]]] = {
    "awareness_for_professionals": ((0, 0), (3.5, 7.0), (15, 30), ("professionals",)),
    "training_for_professionals": ((1, 2), (14.0, 21.0), (12, 20), ("professionals", "mixed")),
    "peer_worker_training": ((2, 30), (21.0, 28.0, 35.0), (12, 18), ("peer_workers",)),
    "university_diploma_support": ((90, 180), (24.0, 40.0, 60.0), (10, 20), ("peer_workers",)),
    "collective_peer_meeting": ((0, 0), (3.0,), (10, 20), ("peer_workers", "mixed")),
}
TITLES: dict[Kind, str] = {
    "awareness_for_professionals": "Sensibilisation au travail pair",
    "training_for_professionals": "Former les équipes au travail pair",
    "peer_worker_training": "Formation de travailleurs pairs",
    "university_diploma_support": "Accompagnement au DU pair aidance",
    "collective_peer_meeting": "Rencontre collective de pairs",
}


def draw_sessions(
    rng: random.Random,
    structures: list[Structure],
    peer_workers: list[PeerWorker],
    today: date,
) -> list[Session]:
    starts = sorted(
        in_year(rng, year, today)
        for year in range(FIRST_YEAR, today.year + 1)
        for _ in range(so_far(sessions_in(year), year, today))
    )
    # A few sessions are planned for the coming months, with their first enrolments.
    starts += sorted(today + timedelta(days=rng.randint(10, 90)) for _ in range(4))
    sessions = []
    for n, starts_on in enumerate(starts, start=1):
        session = _session(rng, f"session:{n:03d}", starts_on, today)
        _enrol(rng, session, structures, peer_workers, today)
        _deliver(rng, session, today)
        sessions.append(session)
    return sessions


def _session(rng: random.Random, key: str, starts_on: date, today: date) -> Session:
    kind: Kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    days, hours, capacity, audiences = SHAPES[kind]
    ends_on = starts_on + timedelta(days=rng.randint(*days))
    # Planned a few weeks ahead, though never before the platform's first year.
    scheduled_on = min(starts_on - timedelta(days=rng.randint(14, 90)), today)
    scheduled_on = max(scheduled_on, min(date(FIRST_YEAR, 1, 1), starts_on))
    return Session(
        key, kind, rng.choice(audiences), pick(rng, DEPARTEMENTS), starts_on, ends_on,
        rng.choice(hours), rng.randint(*capacity), scheduled_on,
    )


def _enrol(
    rng: random.Random,
    session: Session,
    structures: list[Structure],
    peer_workers: list[PeerWorker],
    today: date,
) -> None:
    """Professionals come as a structure's seats, peer workers one by one: people who were
    registered when the session was planned, from its région first. Never over capacity."""
    last = max(session.scheduled_on, min(session.starts_on - timedelta(days=1), today))
    seats = round(session.capacity * rng.uniform(0.4, 0.9))
    region = region_of(session.departement)

    def nearest_first(pool: list[Any], where: Any) -> list[Any]:
        rng.shuffle(pool)
        return sorted(pool, key=lambda c: region_of(where(c)) != region)

    if session.audience in ("professionals", "mixed"):
        # Professionals may come before their structure joins the census (early 2015).
        known = [s for s in structures if s.registered_on <= session.scheduled_on] or structures[:3]
        share = seats if session.audience == "professionals" else seats // 2
        for structure in nearest_first(known, lambda s: s.departement):
            if share < 1:
                break
            taken = min(rng.randint(2, 6), share)
            share -= taken
            seats -= taken
            enrolled_on = between(rng, session.scheduled_on, last)
            session.enrolments.append(Enrolment("", enrolled_on, taken, structure=structure))
    if session.audience in ("peer_workers", "mixed"):
        known = [
            p for p in peer_workers
            if p.registered_on <= session.scheduled_on and p.active_on(session.starts_on)
        ]
        def where(peer_worker: PeerWorker) -> str:
            return peer_worker.departement_on(session.scheduled_on)

        for peer_worker in nearest_first(known, where)[:seats]:
            enrolled_on = between(rng, session.scheduled_on, last)
            session.enrolments.append(Enrolment("", enrolled_on, 1, peer_worker=peer_worker))
    session.enrolments.sort(key=lambda e: e.enrolled_on)
    for n, enrolment in enumerate(session.enrolments, start=1):
        enrolment.key = f"enrolment:{session.key.split(':')[1]}:{n:02d}"


def _deliver(rng: random.Random, session: Session, today: date) -> None:
    """A few sessions are cancelled before they start; the others record attendance once
    begun and are completed a few days after their last day."""
    if rng.random() < 0.05:
        eve = min(session.starts_on - timedelta(days=1), today)
        session.cancelled_on = cancelled_on = between(rng, session.scheduled_on, eve)
        session.enrolments = [e for e in session.enrolments if e.enrolled_on <= cancelled_on]
        return
    if session.starts_on > today:
        return
    for enrolment in session.enrolments:
        enrolment.recorded_on = min(session.ends_on + timedelta(days=rng.randint(0, 5)), today)
        absent = 1 if rng.random() < (0.1 if enrolment.peer_worker else 0.3) else 0
        enrolment.attended = enrolment.seats - absent
    completed_on = session.ends_on + timedelta(days=rng.randint(1, 10))
    if completed_on <= today:
        session.completed_on = completed_on
