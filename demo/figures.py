"""The census a plan makes, replayed from its commands: what reporting should show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from peerwork_contracts import geography

from .plan import Plan, Ref

ARA = "84"  # Auvergne-Rhône-Alpes


@dataclass(frozen=True)
class Figures:
    """Reporting's census at the end of a day, as the plan makes it."""

    peer_workers: int
    partner_structures: int
    departements_covered: int
    employed_peer_workers: int
    ara_peer_workers: int

    @property
    def ara_share(self) -> float:
        return round(self.ara_peer_workers / self.peer_workers, 4)


def figures_at(plan: Plan, day: date) -> Figures:
    """Replays the plan's census commands (hirings included) to the end of ``day``."""
    structures: dict[str, tuple[str, date]] = {}
    spells: dict[str, list[tuple[date, str]]] = {}  # peer worker -> (since, département)
    withdrawn: dict[str, date] = {}
    employments: dict[str, list[Any]] = {}  # employment key -> [peer worker, start, end]
    for command in plan.commands:
        body, path = command.body, command.path
        if path == ("structures",):
            structures[str(command.binds)] = (body["departement"], body["effective_on"])
        elif path == ("peer-workers",):
            spells[str(command.binds)] = [(body["registered_on"], body["departement"])]
        elif path[0] == "peer-workers":
            who = path[1].key if isinstance(path[1], Ref) else ""
            if path[-1] == "employments":
                employments[str(command.binds)] = [who, body["starts_on"], body.get("ends_on")]
            elif path[-1] == "end":
                employments[path[3].key][2] = body["ends_on"]  # type: ignore[union-attr]
            elif path[-1] == "move":
                spells[who].append((body["effective_on"], body["departement"]))
            elif path[-1] == "withdraw":
                withdrawn[who] = left = body["effective_on"]
                for employment in employments.values():
                    if employment[0] == who and (employment[2] is None or employment[2] > left):
                        employment[2] = left  # leaving the census ends what was going on
        elif body.get("milestone") == "peer_worker_hired":
            if "new_peer_worker" in body:
                who = str(command.binds)
                spells[who] = [(body["occurred_on"], body["new_peer_worker"]["departement"])]
            else:
                who = body["peer_worker_id"].key
            employments[f"hiring:{len(employments)}"] = [who, body["occurred_on"], None]
    where: dict[str, str] = {}
    for who, history in spells.items():
        if history[0][0] <= day and not (who in withdrawn and withdrawn[who] <= day):
            where[who] = [departement for since, departement in history if since <= day][-1]
    employed = {
        who for who, start, end in employments.values()
        if who in where and start <= day and (end is None or end > day)
    }
    standing = [departement for departement, since in structures.values() if since <= day]
    return Figures(
        peer_workers=len(where),
        partner_structures=len(standing),
        departements_covered=len(set(where.values()) | set(standing)),
        employed_peer_workers=len(employed),
        ara_peer_workers=sum(geography.departement(d).region_code == ARA for d in where.values()),
    )
