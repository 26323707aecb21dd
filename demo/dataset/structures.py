"""The partner structures: one in each of the 60 départements by the end of 2022, 150 in all
then, and more every year since."""

from __future__ import annotations

import random
from datetime import date

from .drawing import in_year, pick, so_far, split
from .records import Structure
from .volumes import DEPARTEMENTS, FIRST_YEAR, REFERENCE_DAY, STRUCTURE_WEIGHTS, STRUCTURES_AT_REFERENCE, structures_in

SECTORS = {"mental_health": 5, "shelter_housing": 4, "addiction": 3, "disability": 2,
           "employment_insertion": 2, "culture": 1, "other": 1}


def draw_structures(rng: random.Random, today: date) -> list[Structure]:
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
