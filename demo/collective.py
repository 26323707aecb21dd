"""Peers' collective organisation in the demo: a few networks and groups since 2016, in
Auvergne-Rhône-Alpes and elsewhere (départements', régions' and a national one), meeting a
few times a year with the peer workers of their territory and some others."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from peerwork_contracts import geography

from .plan import Command, Ref

# (name, département, région, since, ended on): a département's network names its
# département, a région's its région, the national one neither.
NETWORKS = (
    ("Réseau des pairs aidants de l'Isère", "38", None, date(2016, 5, 12), None),
    ("Collectif pair-aidance du Rhône", "69", None, date(2017, 2, 2), None),
    ("Réseau régional des travailleurs pairs Auvergne-Rhône-Alpes", None, "84", date(2018, 9, 20), None),
    ("Groupe d'entraide des pairs de la Drôme", "26", None, date(2019, 3, 5), date(2021, 7, 1)),
    ("Pairs de Paris", "75", None, date(2017, 6, 15), None),
    ("Réseau marseillais du travail pair", "13", None, date(2019, 1, 10), None),
    ("Collectif Occitanie pair-aidance", None, "76", date(2020, 10, 1), None),
    ("Réseau national des travailleurs pairs", None, None, date(2019, 11, 18), None),
)
KINDS = {"exchange_of_practice": 5, "network_meeting": 3, "co_construction_with_institutions": 2, "other": 1}


def network_commands(rng: random.Random, peer_workers: list[Any], today: date) -> list[Command]:
    """Each network's formation, its meetings (2 to 5 a year) and its end, as one chain."""
    commands = []
    for number, (name, departement, region, since, ended_on) in enumerate(NETWORKS):
        key = f"network:{number}"
        scope = "departement" if departement else "region" if region else "national"
        body: dict[str, Any] = {"name": name, "scope": scope, "formed_on": since}
        body |= {"departement": departement} if departement else {"region": region} if region else {}
        commands.append(Command("accompaniment", "form network", ("peer-networks",), body, key, binds=key))
        last = min(today, (ended_on or today + timedelta(days=1)) - timedelta(days=1))
        for year in range(since.year, last.year + 1):
            first, end = max(since, date(year, 1, 1)), min(last, date(year, 12, 31))
            days = sorted({first + timedelta(days=rng.randrange((end - first).days + 1))
                           for _ in range(rng.randint(2, 5))})
            for day in days:
                commands.append(_meeting(rng, key, day, departement, region, peer_workers))
        if ended_on is not None:
            commands.append(Command("accompaniment", "end network", ("peer-networks", Ref(key), "end"),
                                    {"ended_on": ended_on}, key))
    return commands


def _meeting(
    rng: random.Random, key: str, day: date, departement: str | None, region: str | None, peer_workers: list[Any]
) -> Command:
    def here(peer_worker: Any) -> bool:
        where = peer_worker.departement_on(day)
        return departement is None and region is None or where == departement or (
            departement is None and geography.departement(where).region_code == region
        )

    pool = [p for p in peer_workers if p.active_on(day) and here(p)]
    taking_part = rng.sample(pool, min(len(pool), rng.randint(3, 16)))
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    return Command("accompaniment", "hold meeting", ("peer-networks", Ref(key), "meetings"), {
        "held_on": day, "kind": kind, "hours": rng.choice((2, 2.5, 3, 3.5, 6)),
        "peer_worker_ids": [Ref(p.key) for p in taking_part],
        "other_participants": rng.randint(0 if taking_part else 1, 12),
    }, key)
