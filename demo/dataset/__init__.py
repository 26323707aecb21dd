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
from datetime import date
from typing import Any

from peerwork_contracts import calendar, geography

from ..collective import network_commands
from ..figures import figures_at
from ..plan import Command, Plan, Ref
from .accompaniments import draw_accompaniments
from .peer_workers import draw_peer_workers, name_the_hired
from .records import Accompaniment, PeerWorker, Session, Structure
from .sessions import TITLES, draw_sessions
from .structures import draw_structures
from .volumes import FIRST_YEAR, REFERENCE_DAY, REPORTED

__all__ = ["DEFAULT_SEED", "FIRST_YEAR", "REFERENCE_DAY", "build_plan"]

DEFAULT_SEED = 2022


def structure_commands(structures: list[Structure]) -> list[Command]:
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


def peer_worker_commands(peer_worker: PeerWorker) -> list[Command]:
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


def accompaniment_commands(accompaniment: Accompaniment) -> list[Command]:
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


def session_commands(session: Session) -> list[Command]:
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
    structures = draw_structures(rng, today)
    accompaniments = draw_accompaniments(rng, structures, today)
    hirings = [step.hiring for a in accompaniments for step in a.steps if step.hiring is not None]
    peer_workers = draw_peer_workers(rng, structures, hirings, today)
    name_the_hired(rng, hirings, peer_workers)
    sessions = draw_sessions(rng, structures, peer_workers, today)
    networks = network_commands(rng, peer_workers, today)  # drawn last: the rest is as before
    plan = Plan(seed, today, (
        tuple(structure_commands(structures)),
        tuple(c for p in peer_workers for c in peer_worker_commands(p)),
        tuple(
            [c for a in accompaniments for c in accompaniment_commands(a)]
            + [c for s in sessions for c in session_commands(s)]
            + networks
        ),
    ))
    reference = figures_at(plan, REFERENCE_DAY)
    if replace(reference, employed_peer_workers=0) != REPORTED:
        raise AssertionError(f"the plan misses the figures reported for 2022: {reference}")
    return plan
