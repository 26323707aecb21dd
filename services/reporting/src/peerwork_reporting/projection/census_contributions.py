"""What peer workers and structures add to the census: +1 to a figure (peer workers, a
domain, the employed, the employed by their employer's sector, structures, a sector) of a
département from the day they start to count there, -1 from the day they stop. Pure:
``census_changes`` stores the sums.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from .peer_worker_histories import History

Changes = Counter[tuple[str, str, str]]  # (département, figure, day) -> delta
Interval = tuple[str, str | None]  # ISO days: first counted, first no longer counted


def peer_worker_contributions(history: History, sectors: Mapping[str, str]) -> Changes:
    """What a peer worker's history adds to the census; ``sectors``: their employers'
    sectors, by structure id."""
    employed = _union([(e.starts_on, e.ends_on) for e in history.employments.values()])
    metrics = ("peer_workers", *(f"domain:{domain}" for domain in history.domains))
    changes: Changes = Counter()
    for spell in history.spells:
        interval = (spell.starts_on, spell.ends_on)
        for metric in metrics:
            _count(changes, spell.departement, metric, interval)
        # Employed where they live, however many employments overlap.
        for employed_interval in _intersections(interval, employed):
            _count(changes, spell.departement, "employed_peer_workers", employed_interval)
    changes.update(employed_by_sector(history, sectors))
    return changes


def employed_by_sector(history: History, sectors: Mapping[str, str]) -> Changes:
    """A peer worker counts once in each sector of the structures employing them on a day:
    employed by two structures of one sector, once in it; by structures of two sectors, in
    both (so the sectors add up to more than the employed). Where they live, as the
    employed. Apart from the rest, for a structure's corrected sector changes only this."""
    by_sector: defaultdict[str, list[Interval]] = defaultdict(list)
    for employment in history.employments.values():
        sector = sectors.get(employment.structure_id)
        if sector is not None:  # a structure the views do not know: no sector to count in
            by_sector[sector].append((employment.starts_on, employment.ends_on))
    changes: Changes = Counter()
    for spell in history.spells:
        for sector, intervals in by_sector.items():
            for employed_interval in _intersections((spell.starts_on, spell.ends_on), _union(intervals)):
                _count(changes, spell.departement, f"employed_sector:{sector}", employed_interval)
    return changes


def structure_contributions(departement: str, sector: str, starts_on: str) -> Changes:
    changes: Changes = Counter()
    for metric in ("partner_structures", f"sector:{sector}"):
        _count(changes, departement, metric, (starts_on, None))
    return changes


def _count(changes: Changes, departement: str, metric: str, interval: Interval) -> None:
    starts_on, ends_on = interval
    changes[departement, metric, starts_on] += 1
    if ends_on is not None:
        changes[departement, metric, ends_on] -= 1


def _union(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for starts_on, ends_on in sorted(intervals, key=lambda interval: interval[0]):
        if merged and (merged[-1][1] is None or merged[-1][1] >= starts_on):
            last_start, last_end = merged[-1]
            longest = None if last_end is None or ends_on is None else max(last_end, ends_on)
            merged[-1] = (last_start, longest)
        else:
            merged.append((starts_on, ends_on))
    return merged


def _intersections(interval: Interval, others: list[Interval]) -> Iterable[Interval]:
    starts_on, ends_on = interval
    for other_start, other_end in others:
        start = max(starts_on, other_start)
        ends = [end for end in (ends_on, other_end) if end is not None]
        end = min(ends) if ends else None
        if end is None or start < end:
            yield start, end
