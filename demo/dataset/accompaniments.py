"""Accompaniments of structures: more requests every year, each one's milestones in the usual
order up to its outcome; a hiring among them registers a new peer worker or names one."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from .drawing import draw_domains, in_year, pick, so_far
from .records import Accompaniment, Hiring, Step, Structure
from .volumes import FIRST_YEAR, NEW_HIRES, accompaniments_in

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


def draw_accompaniments(
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
