"""What is generated, before it becomes commands: drafts of what the services will hold,
linked to one another by reference (their keys name them in the commands)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Kind = Literal[
    "awareness_for_professionals", "training_for_professionals", "peer_worker_training",
    "university_diploma_support", "collective_peer_meeting",
]


@dataclass(eq=False)
class Structure:
    key: str
    number: int
    departement: str
    sector: str
    registered_on: date


@dataclass(eq=False)
class Employment:
    key: str
    structure: Structure
    starts_on: date
    known_end: date | None = None  # a fixed-term contract, given when it is recorded
    ended_on: date | None = None  # ended later by its own command

    @property
    def ends_on(self) -> date | None:
        return self.known_end or self.ended_on


@dataclass(eq=False)
class Hiring:
    structure: Structure
    occurred_on: date
    new: bool  # someone not in the registry yet, whom the hiring registers
    domains: list[str]
    key: str = ""  # the peer worker a new hiring registers
    peer_worker: PeerWorker | None = None  # the registered peer worker hired otherwise


@dataclass(eq=False)
class PeerWorker:
    key: str
    number: int
    departement: str  # at registration
    domains: list[str]
    registered_on: date
    moves: list[tuple[date, str]] = field(default_factory=list)
    withdrawn_on: date | None = None
    employments: list[Employment] = field(default_factory=list)
    hirings: list[Hiring] = field(default_factory=list)

    def active_on(self, day: date) -> bool:
        return self.registered_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

    def departement_on(self, day: date) -> str:
        departement = self.departement
        for moved_on, to in self.moves:
            if moved_on <= day:
                departement = to
        return departement

    def employed_on(self, day: date) -> bool:
        spells = [(e.starts_on, e.ends_on) for e in self.employments]
        spells += [(h.occurred_on, None) for h in self.hirings]
        return any(start <= day and (end is None or end > day) for start, end in spells)

    def may_be_hired_by(self, structure: Structure, day: date) -> bool:
        """What the registry checks when the hiring reaches it (after every other command
        about this peer worker): never withdrawn, registered by then, no open employment
        at that structure."""
        open_there = any(e.structure is structure and e.ends_on is None for e in self.employments)
        hired_there = any(h.structure is structure for h in self.hirings)
        return (
            self.withdrawn_on is None
            and self.registered_on <= day
            and not open_there
            and not hired_there
        )


@dataclass(eq=False)
class Step:
    milestone: str
    occurred_on: date
    ready: bool | None = None
    reason: str | None = None
    note: str | None = None
    hiring: Hiring | None = None


@dataclass(eq=False)
class Accompaniment:
    key: str
    structure: Structure
    requested_on: date
    channel: str
    request: str
    steps: list[Step]
    outcome: str | None
    closed_on: date | None


@dataclass(eq=False)
class Enrolment:
    key: str
    enrolled_on: date
    seats: int
    peer_worker: PeerWorker | None = None
    structure: Structure | None = None
    attended: int | None = None
    recorded_on: date | None = None


@dataclass(eq=False)
class Session:
    key: str
    kind: Kind
    audience: str
    departement: str
    starts_on: date
    ends_on: date
    hours: float
    capacity: int
    scheduled_on: date
    enrolments: list[Enrolment] = field(default_factory=list)
    completed_on: date | None = None
    cancelled_on: date | None = None
