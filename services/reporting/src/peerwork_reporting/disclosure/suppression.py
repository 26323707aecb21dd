"""Statistical disclosure control for published counts of people: what it promises.

Peer workers, and the people at training sessions, are few in many places, and their domains
of intervention are health data. A count of 1 to ``threshold`` people (a setting, 10 by
default) could point at someone; it is published as ``"suppressed"``, and so are enough other
figures that nothing hidden can be worked back out. Counts of structures, of accompaniments
(structures' requests) and of sessions are not counts of people: they are exact.

**What an attacker knows.** Every public figure of every release and of every version of a
release; that counts are whole numbers; the geography (which départements make a région);
how the figures are made (a peer worker has one département, one domain or more, is employed
or not; a session adds its attendance to the cell of its year, kind and audience); and these
rules. They may combine everything with an integer linear program.

**What they cannot learn.** No count of 1 to ``threshold`` people, and no range inside
1..threshold for one, whatever they combine:

- no hidden figure (it could be 0, or above the threshold: ``census`` and ``rows`` prove it
  with a completion of the published figures);
- no sum of hidden figures that the published totals give away (the people in a région's
  hidden départements together, in the hidden régions together, at a year's hidden sessions),
  nor the complement of one (the peer workers not employed);
- no change between two versions of a release: a change of a figure by 1 to ``threshold``
  people (late records) hides it in the new version, with what protects it; what one version
  hid, the next hides too unless it moved by more than the threshold (shown unchanged, it
  would give the earlier figure away).

**What they can learn.** Published figures, exactly; so the change of a published figure from
one release to the next (a quarter or a year later): a balance of many arrivals and departures,
which counts no one. Domains of intervention are published nationally only: by région or
département, with few people, the mix of domains of a place tells about its people's health.

**Why suppression, and not noise or rounding.** Cell-key perturbation (ABS, ONS) keeps more
figures, but its small published values still sit inside 1..threshold for an attacker who
reads them with their noise bound, and its additivity is lost; rounding to a base breaks the
same way once totals are intersected. Suppressing whole places, with the sums their totals
give away checked as groups, gives a guarantee that can be stated and tested
(``tests/attack`` runs the integer program above on every release): see ``census`` (with
``national_breakdowns``) for the census and ``rows`` for the trainings and the participants
of peers' meetings (``reads.collective_statistics``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

DEFAULT_THRESHOLD: Final = 10
SUPPRESSED: Final = "suppressed"

PublishedCount: TypeAlias = int | Literal["suppressed"]


def render(count: int, hidden: bool) -> PublishedCount:
    return SUPPRESSED if hidden else count


def small(count: int, threshold: int) -> bool:
    """A count of people that points at someone."""
    return 1 <= abs(count) <= threshold


@dataclass(frozen=True)
class Revision:
    """The version of a release that a new one follows: its exact figures and what it
    published, by path ("national.peer_workers": 1020 or "suppressed"). A figure that moved
    by 1 to ``threshold`` people is hidden in the new version, and so is what the earlier hid
    and did not move: the two versions are then protected together."""

    exact: Mapping[str, object] = field(default_factory=dict)
    published: Mapping[str, object] = field(default_factory=dict)

    def change(self, path: str, now: int) -> int:
        before = self.exact.get(path)
        return now - before if isinstance(before, int) else 0

    def hid(self, path: str) -> bool:
        return self.published.get(path) == SUPPRESSED
