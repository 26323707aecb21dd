"""Disclosure control: small counts of people are hidden, and an attacker holding what is
published cannot pin any hidden one, nor any sum the totals give away, inside 1..threshold.

The attacker here is an integer program (scipy's HiGHS) over one census or one row of the
trainings table; ``tests/attack`` runs one over every release of a real history."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from peerwork_contracts import geography
from peerwork_reporting.disclosure.census import NATION, hidden_places, path_of
from peerwork_reporting.disclosure.national_breakdowns import hidden_domains
from peerwork_reporting.disclosure.rows import hidden_in_row
from peerwork_reporting.disclosure.suppression import Revision

T = 10
AURA, PACA = geography.region("84"), geography.region("93")


def census(**counts: tuple[int, int]) -> dict[str, tuple[int, int]]:
    """Peer workers and employed by département, named d38=(12, 3)."""
    return {name.removeprefix("d"): value for name, value in counts.items()}


def _ranges(departements: dict[str, tuple[int, int]], hidden: set) -> dict:
    """Least and greatest value, given what is published, of every hidden figure of people:
    peer workers (and a région's employed and not employed) of each hidden place. A
    département's employed are never published: each is a variable; its peer workers are
    one when hidden."""
    codes = [c for c in geography.DEPARTEMENTS if ("departement", c) in hidden or departements.get(c, (0, 0))[0]]
    index = {c: n for n, c in enumerate(codes)}  # variables: peer workers 2n, employed 2n + 1
    size = 2 * len(codes)
    rows, low, high = [], [], []

    def constrain(coefficients: dict[int, float], value: float, upper: float | None = None) -> None:
        row = np.zeros(size)
        for k, v in coefficients.items():
            row[k] += v
        rows.append(row)
        low.append(value)
        high.append(value if upper is None else upper)

    for code in codes:
        constrain({2 * index[code]: 1, 2 * index[code] + 1: -1}, 0, np.inf)  # employed ≤ peer workers
        if ("departement", code) not in hidden:
            constrain({2 * index[code]: 1}, departements[code][0])
    places = [(NATION, list(geography.DEPARTEMENTS))] + [
        (("region", r.code), list(r.departement_codes)) for r in geography.REGIONS.values()
    ]
    for key, members in places:
        if key in hidden:
            continue
        own = [c for c in members if c in index]
        for metric in (0, 1):
            total = sum(departements.get(c, (0, 0))[metric] for c in members)
            constrain({2 * index[c] + metric: 1 for c in own}, total)
    matrix = LinearConstraint(np.array(rows).reshape(len(rows), size), low, high) if rows else None

    def solve(objective: dict[int, float]) -> tuple[int, int]:
        c = np.zeros(size)
        for k, v in objective.items():
            c[k] += v
        ends = []
        for sign in (1, -1):
            result = milp(sign * c, integrality=np.ones(size), bounds=Bounds(0, 10_000),
                          constraints=[matrix] if matrix else [])
            assert result.status == 0, result.message
            ends.append(round(sign * result.fun))
        return ends[0], ends[1]

    ranges = {}
    for key in hidden:
        if key[0] == "departement":
            if key[1] in index:
                ranges[key, "peer_workers"] = solve({2 * index[key[1]]: 1})
            continue
        members = list(geography.region(key[1]).departement_codes) if key[0] == "region" else list(geography.DEPARTEMENTS)
        own = [c for c in members if c in index]
        if not own:
            continue
        ranges[key, "peer_workers"] = solve({2 * index[c]: 1 for c in own})
        ranges[key, "employed"] = solve({2 * index[c] + 1: 1 for c in own})
        ranges[key, "not employed"] = solve({k: v for c in own for k, v in ((2 * index[c], 1), (2 * index[c] + 1, -1))})
    return ranges


def _pinned(ranges: dict) -> dict:
    return {what: r for what, r in ranges.items() if 1 <= r[0] and r[1] <= T}


def test_a_small_departement_is_hidden_with_a_partner_of_its_region():
    counts = census(d38=(40, 20), d69=(30, 12), d73=(3, 1), d01=(25, 11))
    hidden = hidden_places(counts, T)
    assert ("departement", "73") in hidden
    # Alone, it would be AURA's total minus the rest; with the smallest other that holds
    # people, the two together are not small either.
    assert ("departement", "01") in hidden
    assert ("region", "84") not in hidden and NATION not in hidden
    assert _pinned(_ranges(counts, hidden)) == {}


def test_not_employed_is_a_count_of_people_too():
    counts = census(d38=(40, 39), d69=(30, 30), d01=(25, 25), d13=(50, 20), d83=(22, 11))
    hidden = hidden_places(counts, T)
    assert ("region", "84") in hidden  # 1 not employed in AURA
    # A département's employment is not published: no département of AURA is hidden for it,
    # only for the région they make up.
    assert _pinned(_ranges(counts, hidden)) == {}


def test_a_small_region_hides_its_departements_and_is_joined_by_another_region():
    counts = census(d2A=(2, 1), d2B=(3, 0), d38=(40, 20), d69=(30, 12), d13=(50, 20), d83=(22, 11))
    hidden = hidden_places(counts, T)
    assert {("region", "94"), ("departement", "2A"), ("departement", "2B")} <= hidden
    assert len({k for k in hidden if k[0] == "region"}) >= 2
    assert _pinned(_ranges(counts, hidden)) == {}


def test_a_tiny_census_hides_everything():
    counts = census(d38=(3, 1), d13=(2, 0))
    hidden = hidden_places(counts, T)
    assert {NATION, ("region", "84"), ("region", "93"), ("departement", "38"), ("departement", "13")} <= hidden


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=8, max_size=8))
def test_no_hidden_count_is_pinned_inside_one_to_threshold(pairs):
    codes = [*AURA.departement_codes[:4], *PACA.departement_codes[:4]]
    counts = {code: (max(a, b), min(a, b)) for code, (a, b) in zip(codes, pairs)}
    hidden = hidden_places(counts, T)
    assert _pinned(_ranges(counts, hidden)) == {}
    # Nor the sum of a published région's hidden départements, which its total gives away.
    for region in (AURA, PACA):
        if ("region", region.code) not in hidden:
            group = [counts.get(c, (0, 0))[0] for c in region.departement_codes if ("departement", c) in hidden]
            assert not 1 <= sum(group) <= T, group


def test_a_revision_hides_what_moved_little_and_what_was_hidden():
    before = census(d38=(40, 20), d69=(30, 12), d73=(3, 1), d01=(25, 11), d13=(50, 20), d83=(22, 11))
    hidden = hidden_places(before, T)
    published = {f"{path_of(k)}.peer_workers": "suppressed" for k in hidden}
    exact = {}
    for key in [NATION, *(("region", r) for r in geography.REGIONS), *(("departement", d) for d in geography.DEPARTEMENTS)]:
        members = [key[1]] if key[0] == "departement" else (
            geography.region(key[1]).departement_codes if key[0] == "region" else geography.DEPARTEMENTS)
        exact[f"{path_of(key)}.peer_workers"] = sum(before.get(c, (0, 0))[0] for c in members)
        exact[f"{path_of(key)}.employed_peer_workers"] = sum(before.get(c, (0, 0))[1] for c in members)
    after = {**before, "38": (41, 20)}  # one late registration in Isère
    revised = hidden_places(after, T, Revision(exact=exact, published=published))
    assert hidden <= revised
    # Isère, AURA and the nation moved by one: each is hidden, or the change would show.
    assert {("departement", "38"), ("region", "84"), NATION} <= revised


def _revision_of(before: dict[str, tuple[int, int]], hidden: set) -> Revision:
    exact, published = {}, {f"{path_of(k)}.peer_workers": "suppressed" for k in hidden}
    for key in [NATION, *(("region", r) for r in geography.REGIONS), *(("departement", d) for d in geography.DEPARTEMENTS)]:
        members = [key[1]] if key[0] == "departement" else (
            geography.region(key[1]).departement_codes if key[0] == "region" else geography.DEPARTEMENTS)
        exact[f"{path_of(key)}.peer_workers"] = sum(before.get(c, (0, 0))[0] for c in members)
        exact[f"{path_of(key)}.employed_peer_workers"] = sum(before.get(c, (0, 0))[1] for c in members)
    return Revision(exact=exact, published=published)


def test_a_revision_hides_a_small_change_of_the_hidden_group_under_a_published_total():
    before = census(d38=(40, 20), d73=(4, 1), d01=(25, 11), d13=(50, 20), d83=(22, 11))
    hidden = hidden_places(before, T)
    assert {("departement", "73"), ("departement", "01")} <= hidden and ("region", "84") not in hidden
    # Isère +15 and Savoie +2: AURA moved by 17 and may show, Isère too; but then AURA's
    # hidden pair moved by 2 (17 - 15), which version 1's and version 2's totals give away.
    after = {**before, "38": (55, 20), "73": (6, 1)}
    revised = hidden_places(after, T, _revision_of(before, hidden))
    assert ("departement", "38") in revised or ("region", "84") in revised


def test_a_figure_hidden_before_shows_again_once_it_moved_by_more_than_the_threshold():
    before = census(d38=(40, 20), d73=(4, 1), d01=(25, 11), d13=(50, 20), d83=(22, 11))
    hidden = hidden_places(before, T)
    after = {**before, "73": (30, 1), "01": (60, 11)}  # both well above the threshold now
    revised = hidden_places(after, T, _revision_of(before, hidden))
    assert ("departement", "73") not in revised and ("departement", "01") not in revised


def test_domains_are_hidden_by_two_or_not_at_all():
    domains = {"mental_health": 600, "addiction": 300, "violence": 4, "disability": 0, "other": 50,
               "precarity_homelessness": 200}
    assert hidden_domains(domains, 1000, T, nation_hidden=False) == {"violence", "disability"}
    assert hidden_domains({**domains, "violence": 40}, 1000, T, nation_hidden=False) == set()
    # Those without a domain are counted too: 995 of 1,000 in mental health leaves 5.
    assert "mental_health" in hidden_domains({**domains, "mental_health": 995}, 1000, T, nation_hidden=False)
    assert hidden_domains(domains, 1000, T, nation_hidden=True) == set(domains)


def _row_ranges(cells: dict[str, int], hidden: set[str], total_hidden: bool) -> dict[str, tuple[int, int]]:
    """A hidden participants figure is at least 1 (zeros are published); the published total
    is the sum of the row."""
    names = sorted(hidden)
    if not names:
        return {}
    size = len(names)
    constraints = []
    if not total_hidden:
        known = sum(n for c, n in cells.items() if c not in hidden)
        constraints.append(LinearConstraint(np.ones((1, size)), sum(cells.values()) - known, sum(cells.values()) - known))
    ranges = {}
    for k, name in enumerate(names):
        c = np.zeros(size)
        c[k] = 1
        ends = []
        for sign in (1, -1):
            result = milp(sign * c, integrality=np.ones(size), bounds=Bounds(1, 10_000), constraints=constraints)
            ends.append(round(sign * result.fun))
        ranges[name] = (ends[0], ends[1])
    return ranges


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 40), min_size=1, max_size=6))
def test_no_participants_figure_is_pinned_inside_one_to_threshold(cells):
    hidden, total_hidden = hidden_in_row(cells, T)
    assert all(cells[c] > T or c in hidden for c in cells if cells[c])
    assert len(hidden) + total_hidden != 1
    assert {c: r for c, r in _row_ranges(cells, hidden, total_hidden).items() if r[1] <= T} == {}


def test_a_row_whose_hidden_cells_are_too_few_hides_its_total():
    hidden, total_hidden = hidden_in_row({"a": 3, "b": 4}, T)
    assert hidden == {"a", "b"} and total_hidden


def test_no_threshold_below_zero():
    with pytest.raises(ValueError):
        hidden_places({}, -1)
