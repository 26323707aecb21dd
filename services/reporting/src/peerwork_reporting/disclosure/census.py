"""Which places' counts of people the census publishes (see ``suppression`` for the promise).

A région and the nation publish their peer workers and their employed peer workers together,
or neither: hiding one would leave it to the other and to the count of those not employed, a
third count of people. A département publishes its peer workers only: with so few people,
employment by département would hide most of them. A hidden place's zeros are hidden too, so
that "suppressed" says nothing but "not published": it may be 0.

A place is hidden (primary) when any of its counts (a région's three: peer workers, employed,
not employed) is from 1 to the threshold; in a revision, also when one of them moved by 1 to
the threshold, or when the earlier version hid it and it did not move by more than the threshold.
Then, in every line (a région and its
départements; the nation and its régions), until nothing changes:

- a line holds no hidden entry or at least two: one alone is its total minus the rest;
- under a published total, the hidden entries together (the sum the total gives away) are not
  small in any of the counts they publish, nor, in a revision, did that sum move by a small
  amount;
- a hidden région hides every département where it has people, so that its hidden people are
  all in hidden départements.

Each rule hides the least populated entry of the line that is not hidden yet, or, when none is
left, the line's total. It ends: it only ever hides more, and everything hidden satisfies it.

Why this is enough. Take a hidden place holding 1 to threshold people. It has a hidden partner
in its line (another département of its région, or its région itself, then another hidden
région, or the nation, hidden). Move all its people, with their employment, to a hidden
département of that partner (or, to the nation hidden, out of the census): every figure that
changes is hidden, every published one is unchanged, so the published figures also fit a
census where the place holds nobody. What the published totals give away are the groups'
sums above, which are 0 or above the threshold, or, as the sum of published figures above
the threshold, more than it.

The national counts by domain and by the employer's sector: ``national_breakdowns``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peerwork_contracts import geography

from .suppression import Revision, small

Key = tuple[str, str]  # ("departement" | "region" | "nation", code)
NATION: Key = ("nation", "FR")
Counts = tuple[int, int]  # (peer workers, employed)

_PATHS = {"departement": "departments", "region": "regions"}


def path_of(key: Key) -> str:
    """Where a place's figures are found in a release ("departments.38", "national")."""
    level, code = key
    return "national" if key == NATION else f"{_PATHS[level]}.{code}"


@dataclass
class _Place:
    key: Key
    counts: Counts
    children: list["_Place"]


def hidden_places(
    departements: Mapping[str, Counts], threshold: int, revision: Revision | None = None
) -> set[Key]:
    """The places whose peer workers and employed are published as "suppressed"."""
    if threshold < 0:
        raise ValueError(f"The threshold must not be negative: {threshold}")
    regions = []
    for region in geography.REGIONS.values():
        children = [
            _Place(("departement", code), departements.get(code, (0, 0)), [])
            for code in region.departement_codes
        ]
        regions.append(_Place(("region", region.code), _sum(c.counts for c in children), children))
    nation = _Place(NATION, _sum(r.counts for r in regions), regions)
    places = [nation, *regions, *(d for r in regions for d in r.children)]
    hidden = {p.key for p in places if _primary(p, threshold, revision)}
    while True:
        before = len(hidden)
        for region in regions:
            if region.key in hidden:
                hidden.update(d.key for d in region.children if d.counts[0])
            _close_line(region, hidden, threshold, revision)
        _close_line(nation, hidden, threshold, revision)
        if len(hidden) == before:
            return hidden


def _sum(counts: Sequence[Counts] | object) -> Counts:
    pairs = list(counts)  # type: ignore[call-overload]
    return (sum(p for p, _ in pairs), sum(e for _, e in pairs))


def _published(level: str, counts: Counts) -> tuple[int, ...]:
    """The counts of people a place of ``level`` publishes, or its hidden entries together:
    a département its peer workers; a région or the nation also its employed and, as their
    difference, those not employed."""
    peer_workers, employed = counts
    return (peer_workers,) if level == "departement" else (peer_workers, employed, peer_workers - employed)


def _changes(place: _Place, revision: Revision) -> tuple[int, ...]:
    path = path_of(place.key)
    peer_workers = revision.change(f"{path}.peer_workers", place.counts[0])
    employed = revision.change(f"{path}.employed_peer_workers", place.counts[1])
    return _published(place.key[0], (peer_workers, employed))


def _primary(place: _Place, threshold: int, revision: Revision | None) -> bool:
    if any(small(count, threshold) for count in _published(place.key[0], place.counts)):
        return True
    if revision is None:
        return False
    changes = _changes(place, revision)
    if any(small(change, threshold) for change in changes):
        return True
    # Hidden before, and shown now unchanged, it would give the earlier version's figure away,
    # and with it what it protected; moved by more than the threshold, it tells nothing of it.
    return revision.hid(f"{path_of(place.key)}.peer_workers") and not all(changes)


def _close_line(total: _Place, hidden: set[Key], threshold: int, revision: Revision | None) -> None:
    """Hides entries of the line ``total`` = sum of its children until it keeps the rules."""
    while True:
        entries = [c for c in total.children if c.key in hidden]
        count = len(entries) + (total.key in hidden)
        if count == 0:
            return
        published = total.key not in hidden
        gives_away = published and _gives_away(entries, threshold, revision)
        if count >= 2 and not gives_away:
            return
        candidates = sorted(
            (c for c in total.children if c.key not in hidden), key=lambda c: (c.counts[0], c.key)
        )
        if gives_away:  # only an entry holding people makes the group larger
            candidates = [c for c in candidates if c.counts[0]]
        if candidates:
            hidden.add(candidates[0].key)
        elif published:
            hidden.add(total.key)
        else:
            return  # every entry hidden: nothing in this line gives anything away


def _gives_away(entries: list[_Place], threshold: int, revision: Revision | None) -> bool:
    """Whether the sum of the hidden entries under a published total is small, or moved by
    a small amount since the earlier version."""
    level = entries[0].key[0]
    if any(small(count, threshold) for count in _published(level, _sum(e.counts for e in entries))):
        return True
    if revision is None:
        return False
    moved = [_changes(e, revision) for e in entries]
    return any(small(sum(change[n] for change in moved), threshold) for n in range(len(moved[0])))
