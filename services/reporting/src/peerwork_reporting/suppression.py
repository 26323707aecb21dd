"""Disclosure control of published counts of people.

A count from 1 to the threshold is hidden (primary suppression). Published totals are
linear equations over the cells they add up (a région is the sum of its départements,
the nation the sum of its régions), so a hidden count alone among the terms of an
equation would be the total minus the others: each equation must hold no hidden term, or
at least two (secondary suppression). The complement hidden is the smallest non-zero
published term, which costs the least information; repeated until no equation has a lone
hidden term. Equations are visited in the order given, widest totals first: a
complement hidden in a wide total is a sub-total, whose own equation then pairs it with
the primaries below it instead of hiding one more cell. Zeros are published and never chosen as complements: a hidden zero protects
nothing once its neighbours' non-negativity is taken into account.
"""

from collections.abc import Hashable, Mapping, Sequence
from typing import Literal

Key = Hashable
SUPPRESSED: Literal["suppressed"] = "suppressed"
Count = int | Literal["suppressed"]
Equation = tuple[Key, Sequence[Key]]  # (total, the terms it adds up)


def protect(values: Mapping[Key, int], equations: Sequence[Equation], threshold: int) -> set[Key]:
    """The keys of ``values`` to hide so that none of the hidden ones can be worked out
    from the published ones and the ``equations``."""
    hidden = {key for key, value in values.items() if 1 <= value <= threshold}
    changed = True
    while changed:
        changed = False
        for total, terms in equations:
            line = [total, *terms]
            if sum(1 for key in line if key in hidden) != 1:
                continue
            candidates = [key for key in line if key not in hidden and values[key] > 0]
            if not candidates:
                continue  # the others are zeros: the hidden one equals a published figure anyway
            hidden.add(min(candidates, key=lambda key: values[key]))
            changed = True
    return hidden
