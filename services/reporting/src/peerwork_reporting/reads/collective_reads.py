"""Reads of the collective views, as they stood at the end of a day: per year and région,
the networks active at the year's end, the meetings, their hours and who took part.

A network's meetings count in its région; a national network's in none (``NATIONAL``). Each
peer worker counts once a year, in the région of their first meeting that year (a national
network's after any région's the same day): so a year's peer workers nationally are the sum
of its régions', as every count of people published is, and its disclosure control holds.
"""

from dataclasses import dataclass
from datetime import date

from ..ports import Cursor

NATIONAL = "national"  # the place of the national networks' meetings: in no région


@dataclass(frozen=True)
class CollectiveCell:
    year: int
    place: str  # a région's INSEE code, or NATIONAL
    networks: int = 0  # active on the year's 31 December (or on the day read, for its year)
    meetings: int = 0
    hours: float = 0.0
    peer_workers: int = 0  # distinct people, each in one place a year
    others: int = 0  # other participants, summed over the meetings


def collective_rows(cursor: Cursor, day: str) -> list[CollectiveCell]:
    """Every (year, place) with an active network or a meeting, from the first network's year."""
    networks = cursor.execute(
        "SELECT region, formed_on, ended_on FROM collective_networks WHERE formed_on <= :day", {"day": day}
    ).fetchall()
    meetings = cursor.execute(
        "SELECT n.region, m.held_on, m.hours, m.other_participants FROM collective_meetings m "
        "JOIN collective_networks n ON n.network_id = m.network_id WHERE m.held_on <= :day",
        {"day": day},
    ).fetchall()
    taking_part = cursor.execute(
        "SELECT p.peer_worker_id, n.region, m.held_on FROM collective_participants p "
        "JOIN collective_meetings m ON m.meeting_id = p.meeting_id "
        "JOIN collective_networks n ON n.network_id = m.network_id WHERE m.held_on <= :day",
        {"day": day},
    ).fetchall()
    cells: dict[tuple[int, str], dict[str, float]] = {}

    def add(year: int, region: str | None, **counts: float) -> None:
        cell = cells.setdefault((year, region or NATIONAL), {})
        for name, count in counts.items():
            cell[name] = cell.get(name, 0) + count

    last = date.fromisoformat(day)
    for region, formed_on, ended_on in networks:
        for year in range(int(formed_on[:4]), last.year + 1):
            end = min(date(year, 12, 31), last).isoformat()
            if ended_on is None or ended_on > end:
                add(year, region, networks=1)
    for region, held_on, hours, others in meetings:
        add(int(held_on[:4]), region, meetings=1, hours=hours, others=others)
    first: dict[tuple[str, int], tuple[str, int, str]] = {}
    for peer_worker_id, region, held_on in taking_part:
        # A région before NATIONAL on the same day (0 < 1), then by code: one place each.
        key, seen = (peer_worker_id, int(held_on[:4])), (held_on, region is None, region or NATIONAL)
        if key not in first or seen < first[key]:
            first[key] = seen
    for (_, year), (_, _, place) in first.items():
        add(year, place if place != NATIONAL else None, peer_workers=1)
    return [
        CollectiveCell(year, place, int(c.get("networks", 0)), int(c.get("meetings", 0)),
                       round(c.get("hours", 0.0), 2), int(c.get("peer_workers", 0)), int(c.get("others", 0)))
        for (year, place), c in sorted(cells.items())
    ]
