"""The demo dataset, planned as HTTP commands without any I/O.

The platform reported, at the end of 2022, 1,020 peer workers in 150 partner structures
across 60 départements, 12 % of them in Auvergne-Rhône-Alpes. The plan reproduces those
figures exactly (by effective date, as reporting counts them) inside a history that starts
in 2015 and goes on to today: withdrawals, moves, employments, accompaniments of
structures (whose hirings register and employ peer workers in the registry) and training
sessions. The services give ids on creation, so commands name what they create by a key
(``Ref``) that the loader binds to the id returned.

Everything is drawn from one ``random.Random(seed)``: the same seed and the same day give
the same plan; the 2022 figures are the same whatever the day.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from peerwork_contracts import calendar, geography

from ..collective import network_commands
from ..figures import ARA, figures_at
from ..plan import Command, Plan, Ref
from .drawing import between, draw_domains, in_year, near, pick, region_of, so_far, split
from .records import Accompaniment, Employment, Enrolment, Hiring, Kind, PeerWorker, Session, Step, Structure
from .volumes import (
    AFTER_REFERENCE,
    ARA_PEER_WORKERS,
    DEPARTEMENTS,
    EMPLOYED,
    FIRST_YEAR,
    MOVING,
    NEW_HIRES,
    PEER_WORKER_WEIGHTS,
    PEER_WORKERS_AT_REFERENCE,
    REFERENCE_DAY,
    REPORTED,
    STRUCTURE_WEIGHTS,
    STRUCTURES_AT_REFERENCE,
    WITHDRAWN_BY_REFERENCE,
    WITHDRAWN_LATER,
    accompaniments_in,
    registrations_in,
    sessions_in,
    structures_in,
)

DEFAULT_SEED = 2022


SECTORS = {"mental_health": 5, "shelter_housing": 4, "addiction": 3, "disability": 2,
           "employment_insertion": 2, "culture": 1, "other": 1}
CHANNELS = {"structure": 4, "funder": 2, "network": 3, "other": 1}
OUTCOMES = {"hired": 45, "postponed": 18, "abandoned": 15, "redirected": 22}
REQUESTS = (
    "Recruter un travailleur pair dans l'équipe mobile",
    "Créer un poste de médiateur pair en santé mentale",
    "Intégrer un pair aidant au service d'accueil de jour",
    "Sensibiliser l'équipe avant de recruter un travailleur pair",
    "Être accompagnés pour écrire la fiche de poste d'un pair",
    "Ouvrir un poste de travailleur pair en CSAPA",
)
NOT_READY = (
    "L'équipe souhaite d'abord être sensibilisée",
    "Le financement du poste n'est pas encore trouvé",
    "La direction veut en reparler après la réorganisation",
)

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


# --- Generation ----------------------------------------------------------------------------


def _structures(rng: random.Random, today: date) -> list[Structure]:
    # Each of the 60 départements has a structure by the end of 2022, so that the
    # départements covered then are exactly these (peer workers live among them too).
    departements = list(DEPARTEMENTS) + [
        pick(rng, DEPARTEMENTS) for _ in range(STRUCTURES_AT_REFERENCE - len(DEPARTEMENTS))
    ]
    rng.shuffle(departements)
    years = range(FIRST_YEAR, REFERENCE_DAY.year + 1)
    days = sorted(
        in_year(rng, year, today)
        for year, count in zip(years, split(STRUCTURES_AT_REFERENCE, STRUCTURE_WEIGHTS))
        for _ in range(count)
    )
    later = sorted(
        in_year(rng, year, today)
        for year in range(REFERENCE_DAY.year + 1, today.year + 1)
        for _ in range(so_far(structures_in(year), year, today))
    )
    departements += [pick(rng, DEPARTEMENTS) for _ in later]
    return [
        Structure(f"structure:{n:03d}", n, departement, pick(rng, SECTORS), day)
        for n, (day, departement) in enumerate(zip(days + later, departements), start=1)
    ]


def _accompaniments(
    rng: random.Random, structures: list[Structure], today: date
) -> list[Accompaniment]:
    accompaniments = []
    requests = sorted(
        in_year(rng, year, today)
        for year in range(FIRST_YEAR, today.year + 1)
        for _ in range(so_far(accompaniments_in(year), year, today))
    )
    for n, requested_on in enumerate(requests, start=1):
        known = [s for s in structures if s.registered_on <= requested_on] or structures[:1]
        structure = rng.choice(known)
        requested_on = max(requested_on, structure.registered_on)
        steps, outcome, closed_on = _journey(rng, structure, requested_on, today)
        accompaniments.append(Accompaniment(
            f"accompaniment:{n:03d}", structure, requested_on, pick(rng, CHANNELS),
            rng.choice(REQUESTS), steps, outcome, closed_on,
        ))
    return accompaniments


def _journey(
    rng: random.Random, structure: Structure, requested_on: date, today: date
) -> tuple[list[Step], str | None, date | None]:
    """Milestones in the usual order, cut where the outcome falls; whatever would come
    after today has not happened yet, and the accompaniment is still open."""
    outcome = pick(rng, OUTCOMES)
    route: list[tuple[int, str, dict[str, Any]]] = []  # (days after the last step, milestone, …)
    route.append((rng.randint(7, 40), "team_awareness", {}))
    if rng.random() < 0.3:
        route.append((rng.randint(14, 60), "team_awareness", {}))
    if outcome == "postponed" or rng.random() < 0.2:
        not_ready = {"ready": False, "reason": rng.choice(NOT_READY)}
        route.append((rng.randint(10, 45), "readiness_assessed", not_ready))
    if outcome != "postponed":
        route.append((rng.randint(10, 60), "representations_discussed", {}))
        route.append((rng.randint(10, 45), "readiness_assessed", {"ready": True}))
        for milestone in ("missions_defined", "job_description_drafted", "recruitment_opened"):
            route.append((rng.randint(14, 60), milestone, {}))
    if outcome in ("abandoned", "redirected"):
        route = route[: rng.randint(1, len(route))]
    if outcome == "hired":
        route.append((rng.randint(30, 120), "peer_worker_hired", {}))
        route.append((rng.randint(7, 30), "onboarding_supported", {}))
        for _ in range(rng.randint(1, 3)):
            note = {"note": "Point à trois mois de la prise de poste"} if rng.random() < 0.3 else {}
            route.append((rng.randint(30, 90), "follow_up_meeting", note))
    steps = []
    day = requested_on
    for gap, milestone, details in route:
        day += timedelta(days=gap)
        if day > today:
            return steps, None, None
        if milestone == "peer_worker_hired":
            # The first hirings come before the registry knows many peer workers.
            new = rng.random() < NEW_HIRES or day.year == FIRST_YEAR
            details = {"hiring": Hiring(structure, day, new, draw_domains(rng))}
        steps.append(Step(milestone, day, **details))
    closed_on = day + timedelta(days=rng.randint(7, 45))
    return (steps, outcome, closed_on) if closed_on <= today else (steps, None, None)


def _peer_workers(
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


def _name_the_hired(
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


def _sessions(
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


# --- Commands ------------------------------------------------------------------------------


def _structure_commands(structures: list[Structure]) -> list[Command]:
    return [
        Command(
            "registry", "register structure", ("structures",),
            {
                "name": f"Structure {s.number:03d} ({geography.departement(s.departement).name})",
                "departement": s.departement, "sector": s.sector, "effective_on": s.registered_on,
            },
            s.key, binds=s.key,
        )
        for s in structures
    ]


def _peer_worker_commands(peer_worker: PeerWorker) -> list[Command]:
    me = Ref(peer_worker.key)
    dated: list[tuple[date, int, Command]] = []  # (effective date, tie-break, command)

    def at(day: date, order: int, label: str, path: tuple[str | Ref, ...], body: dict[str, Any],
           binds: str | None = None) -> None:
        dated.append((day, order, Command("registry", label, path, body, peer_worker.key, binds)))

    for employment in peer_worker.employments:
        body: dict[str, Any] = {
            "structure_id": Ref(employment.structure.key), "starts_on": employment.starts_on,
        }
        if employment.known_end is not None:
            body["ends_on"] = employment.known_end
        at(employment.starts_on, 0, "record employment", ("peer-workers", me, "employments"), body,
           employment.key)
        if employment.ended_on is not None:
            at(employment.ended_on, 1, "end employment",
               ("peer-workers", me, "employments", Ref(employment.key), "end"),
               {"ends_on": employment.ended_on})
    for moved_on, to in peer_worker.moves:
        at(moved_on, 0, "move peer worker", ("peer-workers", me, "move"),
           {"departement": to, "effective_on": moved_on})
    if peer_worker.withdrawn_on is not None:
        # Last of all: a withdrawal comes after every fact it would otherwise precede.
        at(peer_worker.withdrawn_on, 2, "withdraw peer worker", ("peer-workers", me, "withdraw"),
           {"effective_on": peer_worker.withdrawn_on})
    register = Command(
        "registry", "register peer worker", ("peer-workers",),
        {
            # Each consented in writing the day they were registered (GDPR art. 9(2)(a)).
            "legal_basis": {
                "basis": "explicit_consent", "consent_given_on": peer_worker.registered_on,
                "consent_given_how": "signed_form",
            },
            "display_name": f"Pair {peer_worker.number:04d}",
            "departement": peer_worker.departement,
            "domains": peer_worker.domains,
            "registered_on": peer_worker.registered_on,
        },
        peer_worker.key, binds=peer_worker.key,
    )
    return [register] + [command for *_, command in sorted(dated, key=lambda d: (d[0], d[1]))]


def _accompaniment_commands(accompaniment: Accompaniment) -> list[Command]:
    me = Ref(accompaniment.key)
    chain = accompaniment.key
    commands = [Command(
        "accompaniment", "open accompaniment", ("accompaniments",),
        {
            "structure_id": Ref(accompaniment.structure.key),
            "departement": accompaniment.structure.departement,
            "channel": accompaniment.channel, "request": accompaniment.request,
            "requested_on": accompaniment.requested_on,
        },
        chain, binds=chain,
    )]
    for step in accompaniment.steps:
        body: dict[str, Any] = {"milestone": step.milestone, "occurred_on": step.occurred_on}
        for name in ("ready", "reason", "note"):
            if getattr(step, name) is not None:
                body[name] = getattr(step, name)
        binds = None
        hiring = step.hiring
        if hiring is not None and hiring.new:
            body["new_peer_worker"] = {
                "departement": hiring.structure.departement, "domains": hiring.domains,
            }
            binds = hiring.key
        elif hiring is not None:
            assert hiring.peer_worker is not None
            body["peer_worker_id"] = Ref(hiring.peer_worker.key)
        commands.append(Command(
            "accompaniment", f"milestone {step.milestone}", ("accompaniments", me, "milestones"),
            body, chain, binds=binds, id_field="peer_worker_id",
        ))
    if accompaniment.outcome is not None:
        commands.append(Command(
            "accompaniment", "close accompaniment", ("accompaniments", me, "close"),
            {"outcome": accompaniment.outcome, "closed_on": accompaniment.closed_on}, chain,
        ))
    return commands


def _session_commands(session: Session) -> list[Command]:
    me = Ref(session.key)
    chain = session.key
    name = geography.departement(session.departement).name
    commands = [Command(
        "accompaniment", "schedule session", ("training-sessions",),
        {
            "title": f"{TITLES[session.kind]} — {name} {session.starts_on.year}",
            "kind": session.kind, "audience": session.audience, "departement": session.departement,
            "starts_on": session.starts_on, "ends_on": session.ends_on,
            "duration_hours": session.hours, "capacity": session.capacity,
            "scheduled_on": session.scheduled_on,
        },
        chain, binds=chain,
    )]
    for enrolment in session.enrolments:
        body: dict[str, Any] = {"enrolled_on": enrolment.enrolled_on}
        if enrolment.peer_worker is not None:
            body["peer_worker_id"] = Ref(enrolment.peer_worker.key)
        else:
            assert enrolment.structure is not None
            body |= {"structure_id": Ref(enrolment.structure.key), "seats": enrolment.seats}
        commands.append(Command("accompaniment", "enrol", ("training-sessions", me, "enrolments"),
                                body, chain, binds=enrolment.key))
    for enrolment in session.enrolments:
        if enrolment.attended is not None:
            commands.append(Command(
                "accompaniment", "record attendance",
                ("training-sessions", me, "enrolments", Ref(enrolment.key), "attendance"),
                {"attended": enrolment.attended, "recorded_on": enrolment.recorded_on}, chain,
            ))
    for label, action, name, day in (
        ("complete session", "complete", "completed_on", session.completed_on),
        ("cancel session", "cancel", "cancelled_on", session.cancelled_on),
    ):
        if day is not None:
            commands.append(Command(
                "accompaniment", label, ("training-sessions", me, action), {name: day}, chain,
            ))
    return commands


def build_plan(seed: int = DEFAULT_SEED, today: date | None = None) -> Plan:
    """The whole dataset as commands in three stages: structures; peer workers and their
    history; then accompaniments, trainings and peers' networks. Hirings come last so that the registry
    meets each of them after everything else about the peer worker hired (it records them
    asynchronously: a hiring racing a withdrawal would be refused)."""
    today = today or calendar.today()
    if today <= REFERENCE_DAY:
        raise ValueError(
            f"the demo history runs past {REFERENCE_DAY}: today ({today}) must be later"
        )
    rng = random.Random(seed)
    structures = _structures(rng, today)
    accompaniments = _accompaniments(rng, structures, today)
    hirings = [step.hiring for a in accompaniments for step in a.steps if step.hiring is not None]
    peer_workers = _peer_workers(rng, structures, hirings, today)
    _name_the_hired(rng, hirings, peer_workers)
    sessions = _sessions(rng, structures, peer_workers, today)
    networks = network_commands(rng, peer_workers, today)  # drawn last: the rest is as before
    plan = Plan(seed, today, (
        tuple(_structure_commands(structures)),
        tuple(c for p in peer_workers for c in _peer_worker_commands(p)),
        tuple(
            [c for a in accompaniments for c in _accompaniment_commands(a)]
            + [c for s in sessions for c in _session_commands(s)]
            + networks
        ),
    ))
    reference = figures_at(plan, REFERENCE_DAY)
    if replace(reference, employed_peer_workers=0) != REPORTED:
        raise AssertionError(f"the plan misses the figures reported for 2022: {reference}")
    return plan
