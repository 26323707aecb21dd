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

Drawn in the order of ``build_plan``: ``structures``, ``accompaniments`` (and their hirings),
``peer_workers``, ``sessions``, then peers' networks (``demo/collective.py``); ``records``
holds what is drawn, ``commands`` turns it into commands, ``volumes`` says how much and where.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from peerwork_contracts import calendar

from ..collective import network_commands
from ..figures import figures_at
from ..plan import Plan
from .accompaniments import draw_accompaniments
from .commands import accompaniment_commands, peer_worker_commands, session_commands, structure_commands
from .peer_workers import draw_peer_workers, name_the_hired
from .sessions import draw_sessions
from .structures import draw_structures
from .volumes import FIRST_YEAR, REFERENCE_DAY, REPORTED

__all__ = ["DEFAULT_SEED", "FIRST_YEAR", "REFERENCE_DAY", "build_plan"]

DEFAULT_SEED = 2022


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
