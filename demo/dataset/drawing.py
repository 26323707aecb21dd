"""Drawing helpers: dates, weighted picks, exact shares and nearby choices, from the one
``random.Random`` the whole plan is drawn from."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from peerwork_contracts import geography

DOMAINS = {"mental_health": 6, "precarity_homelessness": 4, "addiction": 3, "disability": 2,
           "violence": 1, "other": 1}


def region_of(departement: str) -> str:
    return geography.departement(departement).region_code


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def in_year(rng: random.Random, year: int, today: date) -> date:
    return between(rng, date(year, 1, 1), min(date(year, 12, 31), today))


def so_far(count: int, year: int, today: date) -> int:
    """The part of a year's volume that has happened by today."""
    if year < today.year:
        return count
    return round(count * today.timetuple().tm_yday / 365)


def split(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` shared out in proportion to ``weights``, exactly (largest remainders)."""
    shares = [total * weight / sum(weights) for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def draw_domains(rng: random.Random) -> list[str]:
    return sorted({pick(rng, DOMAINS) for _ in range(rng.choice((1, 1, 2)))})


def near(
    rng: random.Random, candidates: Sequence[Any], departement: str, where: Any
) -> Any | None:
    """One of ``candidates``, from ``departement`` if possible, else from its région."""
    for same in (
        lambda c: where(c) == departement,
        lambda c: region_of(where(c)) == region_of(departement),
        lambda c: True,
    ):
        pool = [c for c in candidates if same(c)]
        if pool:
            return rng.choice(pool)
    return None
