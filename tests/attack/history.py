"""A small history like the demo's, to attack: a few départements of two régions, a year of
census before a month of daily activity (registrations, withdrawals, moves between régions,
employments), training sessions delivered before and during that month, and peers' networks
meeting in 2021 and 2022, some with a handful of peer workers, others with many.

It is a ``demo.plan.Plan`` (the demo's own format), sent by the demo's loader over HTTP to
the registry and the accompaniment, as ``make demo`` sends the full one. The full demo is
about 8,500 commands over 60 départements: loading it and modelling every day of it would
take minutes; this one takes seconds and holds every kind of leak issue 13 lists.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from demo.plan import Command, Plan, Ref
from peerwork_contracts import geography
from tests.helpers import CONSENT_BODY

SEED = 13
# Publications are read for every day of this month (the window the attacker studies).
WINDOW_START = date(2022, 3, 1)
WINDOW_END = date(2022, 3, 31)
TODAY = date(2026, 12, 1)  # only for the Plan's record: every date below is in the past

DOMAINS = ["mental_health", "addiction", "precarity_homelessness"]
# Peer workers already registered at the start of the window, by département: some
# départements hold a few (suppressed for the public), others many.
BASE = {"38": 40, "69": 24, "73": 4, "26": 2, "13": 30, "06": 3, "83": 15}
SECTORS = ["mental_health", "shelter_housing", "addiction"]


@dataclass
class Session:
    key: str
    kind: str
    audience: str
    departement: str
    ends_on: date
    attended: int
    capacity: int = 30


@dataclass(frozen=True)
class Event:
    """Something that happened to one peer worker on a day of the window."""

    kind: str  # "register" | "withdraw" | "move" | "employ"
    peer_worker: str
    domains: tuple[str, ...]
    departement: str  # where they were (or are, when registered or employed)
    to: str | None = None  # where they moved

    def regions(self) -> list[tuple[str, int]]:
        """The régions whose number of peer workers it changes, each with its +1 or -1."""
        region = geography.departement(self.departement).region_code
        if self.kind == "register":
            return [(region, 1)]
        if self.kind == "withdraw":
            return [(region, -1)]
        if self.kind == "move":
            to = geography.departement(self.to).region_code
            return [] if to == region else [(region, -1), (to, 1)]
        return []


@dataclass
class History:
    plan: Plan
    sessions: list[Session] = field(default_factory=list)
    meetings: int = 0  # of the peers' networks
    # What happened in the window, by day.
    events: dict[date, list[Event]] = field(default_factory=dict)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def build_history(seed: int = SEED) -> History:
    rng = random.Random(seed)
    structures = [
        Command(
            "registry", "register structure", ("structures",),
            {"name": f"Structure {code}-{n}", "departement": code, "sector": SECTORS[n % 3],
             "effective_on": date(2020, 1, 1)},
            f"structure:{code}:{n}", binds=f"structure:{code}:{n}",
        )
        for code in BASE
        for n in range(2)
    ]
    history = History(plan=Plan(seed, TODAY, ()))
    workers: list[list[Command]] = []
    domains_of: dict[str, tuple[str, ...]] = {}
    number = 0

    def worker(departement: str, registered_on: date, domains: list[str]) -> tuple[str, list[Command]]:
        nonlocal number
        number += 1
        key = f"peer_worker:{number:03d}"
        chain = [Command(
            "registry", "register peer worker", ("peer-workers",),
            {"legal_basis": CONSENT_BODY, "display_name": f"Pair {number:03d}", "departement": departement,
             "domains": domains, "registered_on": registered_on},
            key, binds=key,
        )]
        workers.append(chain)
        domains_of[key] = tuple(domains)
        return key, chain

    def domains() -> list[str]:
        size = rng.choice([1, 1, 1, 2, 2, 3])
        return sorted(rng.sample(DOMAINS, size))

    def employ(key: str, chain: list[Command], departement: str, on: date) -> None:
        chain.append(Command(
            "registry", "record employment", ("peer-workers", Ref(key), "employments"),
            {"structure_id": Ref(f"structure:{departement}:{rng.randrange(2)}"), "starts_on": on},
            key,
        ))

    base: list[tuple[str, list[Command], str]] = []
    for code, count in BASE.items():
        for _ in range(count):
            key, chain = worker(code, _day(rng, date(2021, 1, 1), date(2021, 12, 31)), domains())
            if rng.random() < 0.5:
                employ(key, chain, code, date(2022, 1, 3))
            base.append((key, chain, code))

    # The window: on some days one thing happens, on others nothing. Sorted by day, so that
    # each peer worker's commands go in date order.
    days = sorted(rng.sample(range(1, (WINDOW_END - WINDOW_START).days + 1), 18))
    movable = [b for b in base if b[2] in ("38", "69", "13", "83")]
    rng.shuffle(movable)
    for n, offset in enumerate(days):
        on = WINDOW_START + timedelta(days=offset)
        kind = ["register", "register", "withdraw", "move", "employ"][n % 5]
        if kind == "register":
            code = rng.choice(["73", "26", "06", "69", "13", "38"])
            key, chain = worker(code, on, domains())
            event = Event(kind, key, domains_of[key], code)
        else:
            key, chain, code = movable.pop()
            if kind == "withdraw":
                chain.append(Command("registry", "withdraw peer worker", ("peer-workers", Ref(key), "withdraw"),
                                     {"effective_on": on}, key))
                event = Event(kind, key, domains_of[key], code)
            elif kind == "move":
                to = {"38": "13", "69": "83", "13": "38", "83": "69"}[code]
                chain.append(Command("registry", "move peer worker", ("peer-workers", Ref(key), "move"),
                                     {"departement": to, "effective_on": on}, key))
                event = Event(kind, key, domains_of[key], code, to)
            else:
                if any(c.label == "record employment" for c in chain):
                    chain.append(Command("registry", "withdraw peer worker",
                                         ("peer-workers", Ref(key), "withdraw"), {"effective_on": on}, key))
                    event = Event("withdraw", key, domains_of[key], code)
                else:
                    employ(key, chain, code, on)
                    event = Event(kind, key, domains_of[key], code)
        history.events.setdefault(on, []).append(event)

    sessions = _sessions(rng)
    history.sessions = sessions
    networks = _network_commands(rng, [(key, code) for key, _, code in base])
    history.meetings = sum(1 for c in networks if c.label == "hold meeting")
    history.plan = Plan(
        seed, TODAY,
        (tuple(structures), tuple(c for chain in workers for c in chain),
         tuple(c for s in sessions for c in _session_commands(s)) + tuple(networks)),
    )
    return history


# Peers' networks: (département, région) — a département's, a région's, a national one.
NETWORKS = [("38", None), ("13", None), ("73", None), (None, "84"), (None, None)]


def _network_commands(rng: random.Random, base: list[tuple[str, str]]) -> list[Command]:
    """Networks formed in 2021, meeting a few times in 2021 and before the window in 2022
    (the base peer workers, registered in 2021, are all still there then), with the peer
    workers of their territory: Savoie's few, Isère's and the Bouches-du-Rhône's many."""
    commands = []
    for n, (departement, region) in enumerate(NETWORKS):
        key = f"network:{n}"
        scope = "departement" if departement else "region" if region else "national"
        body = {"name": f"Réseau {n}", "scope": scope, "formed_on": date(2021, 1, 4)}
        body |= {"departement": departement} if departement else {"region": region} if region else {}
        commands.append(Command("accompaniment", "form network", ("peer-networks",), body, key, binds=key))
        pool = [k for k, code in base if departement in (None, code)
                and (region is None or geography.departement(code).region_code == region)]
        for year, last in ((2021, date(2021, 12, 31)), (2022, WINDOW_START - timedelta(days=1))):
            for day in sorted({_day(rng, date(year, 1, 1) if year == 2022 else date(2021, 1, 4), last)
                               for _ in range(rng.randint(1, 3))}):
                size = rng.randint(1, 4) if rng.random() < 0.4 else rng.randint(8, 20)
                taking_part = rng.sample(pool, min(len(pool), size))
                commands.append(Command("accompaniment", "hold meeting", ("peer-networks", Ref(key), "meetings"), {
                    "held_on": day, "kind": "exchange_of_practice", "hours": 2,
                    "peer_worker_ids": [Ref(k) for k in taking_part],
                    "other_participants": rng.randint(0 if taking_part else 1, 14),
                }, key))
    return commands


# (kind, audience) pairs the sessions are of: a pair and a year make a cell of the
# national table of participants.
PAIRS = [
    ("awareness_for_professionals", "professionals"),
    ("training_for_professionals", "professionals"),
    ("peer_worker_training", "peer_workers"),
    ("collective_peer_meeting", "peer_workers"),
    ("collective_peer_meeting", "mixed"),
]


def _sessions(rng: random.Random) -> list[Session]:
    """Sessions delivered in 2021 (before the window), and on days of the window, most
    with a handful of participants, some with more."""
    sessions = []
    for n in range(8):
        kind, audience = PAIRS[n % len(PAIRS)]
        sessions.append(Session(f"session:2021:{n}", kind, audience, rng.choice(["38", "13"]),
                                _day(rng, date(2021, 2, 1), date(2021, 11, 30)), rng.randint(3, 25)))
    days = sorted(rng.sample(range(0, (WINDOW_END - WINDOW_START).days + 1), 14))
    for n, offset in enumerate(days):
        kind, audience = PAIRS[rng.randrange(len(PAIRS))]
        attended = rng.randint(2, 9) if n % 3 else rng.randint(12, 24)
        sessions.append(Session(f"session:2022:{n}", kind, audience, rng.choice(["38", "69", "13"]),
                                WINDOW_START + timedelta(days=offset), attended))
    return sessions


def _session_commands(session: Session) -> list[Command]:
    me = Ref(session.key)
    starts_on = session.ends_on - timedelta(days=1)
    enrolment = f"{session.key}:enrolment"
    return [
        Command("accompaniment", "schedule session", ("training-sessions",), {
            "title": f"Session {session.key}", "kind": session.kind, "audience": session.audience,
            "departement": session.departement, "starts_on": starts_on, "ends_on": session.ends_on,
            "duration_hours": 6, "capacity": session.capacity,
            "scheduled_on": starts_on - timedelta(days=40),
        }, session.key, binds=session.key),
        Command("accompaniment", "enrol", ("training-sessions", me, "enrolments"), {
            "structure_id": Ref(f"structure:{session.departement}:0"), "seats": session.capacity,
            "enrolled_on": starts_on - timedelta(days=20),
        }, session.key, binds=enrolment),
        Command("accompaniment", "record attendance",
                ("training-sessions", me, "enrolments", Ref(enrolment), "attendance"),
                {"attended": session.attended, "recorded_on": session.ends_on}, session.key),
        Command("accompaniment", "complete session", ("training-sessions", me, "complete"),
                {"completed_on": session.ends_on}, session.key),
    ]
