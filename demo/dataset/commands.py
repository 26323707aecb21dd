"""What is generated, as the HTTP commands the loader sends: each aggregate's commands in
the order its service must meet them, what they create keyed for later commands to name."""

from __future__ import annotations

from datetime import date
from typing import Any

from peerwork_contracts import geography

from ..plan import Command, Ref
from .records import Accompaniment, PeerWorker, Session, Structure
from .sessions import TITLES


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
