"""The attacker: an integer linear program over every public figure it collected.

What the attacker knows, and nothing more:

- the publications (``tests.attack.collect``): every public JSON answer, per day or per
  version of a release;
- the rules of disclosure control as reporting documents them: counts of people from 1 to
  ``threshold`` are published as ``"suppressed"``, and so are others hidden to protect
  them (a hidden count may be above ``threshold``: secondary suppression hides large
  figures too); and the two rules below, which differ between the any-day figures and
  the releases;
- the public geography (départements of each région, ``peerwork_contracts.geography``) and
  the vocabulary (domains of intervention);
- how the figures are made: a peer worker has a département, one domain or more, and is
  employed or not, by structures of one sector or more (counted in each); a training session delivered in a year, of a kind and an audience,
  adds its attendance to that cell of the table, and a delivered session's attendance does
  not change afterwards (``sessions`` of a cell, published exactly, rises by one on the
  day a session is delivered: that is how the attacker tells sessions apart).

The census of one day: unknown whole numbers of people ``x[d, S, e]`` for each département
``d``, set of domains ``S`` and employment ``e`` (the set of their employers' sectors, empty
when not employed), each ≥ 0. Every published figure of that day (national, région,
département: peer workers, employed, by domain, employed by sector) is a sum of some of
them: published, the sum equals it; suppressed, the sum is ≥ 1 (or ≥ 0, see
``census_zeros_published``). Nothing the public knows ties one day's people to the next
day's, so each day (each version of a release) is its own program, and the difference of a
figure between two publications lies between the differences of its bounds.

The rules, parameters of ``attack`` (defaults: the any-day figures, ``CENSUS_ZEROS_PUBLISHED``
and ``PUBLISHED_CHANGES``):

- ``census_zeros_published``: the per-table suppression publishes every zero of the census,
  so a hidden census figure is ≥ 1, which narrows it. The releases' disclosure hides a
  place's zeros with its other figures, so that a hidden census figure says nothing but
  "not published": ≥ 0. Trainings keep ≥ 1 either way: that change is to the census
  only, and a training cell nobody attended stays published as 0.
- ``published_changes``: whether the change of a figure published on both sides, between
  publications of different days, is a count of people. It is for the any-day figures,
  where consecutive days hold one event or none: a change of one is one person. Between
  releases a quarter or a year apart it is a balance of many entries and exits, not a
  count of people; only changes where at least one side is hidden are examined then.
  Between two versions of one release (same day, consecutive versions) every change is a
  count of people whatever the rule: the late records that made the revision. Those are
  all examined, published or not, with the "one person" reading below.
- Domains of intervention, and the employed by sector, may be hidden for a whole place (the
  releases publish them nationally only): each is then a hidden figure of that place.

The trainings: unknown attendances ``p[b] ≥ 0`` for each batch ``b`` of sessions the
attacker tells apart (those of one cell that appeared between two publications; in a
publication of every day, one session each), one program over every publication: each
published participants figure (cell, totals by kind, by audience, overall, a year's in the
series) is a sum of batches; suppressed, ≥ 1.

One more reading, not a certainty but the fewest changes that explain the figures, wherever
changes are counts of people: when a place's peer workers change by exactly one from a
publication to the next and each of its domains by that one or by nothing, one person came
(or left) with exactly those domains (finding "one person"; it could also be, say, two
arrivals and a departure).

Peers' collective organisation: each year's peer workers who took part, and its other
participants, are a row of places (the régions, and the national networks) with the year's
national total, the sum of its places (each person counted once a year, in one place). One
program per version of a row (a release publishing it, or quoting it): unknown counts
``c[place] ≥ 0``, a published one equal to it, a hidden one ≥ 1 (zeros are published), the
total their sum. Two versions of a row differ by late records, counts of people: each
place's change, and the hidden places' together, are examined as net changes.

The size of the programs: départements published (or in a région published) as 0, and
domains published as 0 nationally, get no variable, so a day's program holds the few
départements where people are, times the sets of the domains in use. What is not modelled
adds nothing here: accompaniments count structures' requests, not people, and are published
exactly; shares of the national number go with their région's count; trainings limited to a
région or a département publish no participants at all.

For every hidden count of people (each suppressed figure, each batch's attendance, each
difference), HiGHS (``scipy.optimize.milp``) finds its least and greatest possible values.
A *finding* is one pinned to a single value in 1..threshold, or to a range inside it: the
public learns that a small group of people, or a single person, is there. The releases'
test (``test_releases_hold``) calls ``attack`` on every version of every release, expecting
no finding; the any-day figures give many (``test_any_day_figures_leak``).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from peerwork_contracts import geography
from peerwork_contracts.vocabulary import InterventionDomain, Sector

from .collect import Publication

# The public JSON's marker of a hidden figure (its OpenAPI schema: a count or "suppressed").
SUPPRESSED = "suppressed"
# The default threshold, as the domain documents it ("configurable, 10 by default").
THRESHOLD = 10
# No count of people is above this: bounds the programs without telling them anything.
BIG = 100_000

# The rules of the any-day figures (see the module docstring); the releases' are both False.
CENSUS_ZEROS_PUBLISHED = True
PUBLISHED_CHANGES = True

Place = tuple[str, str]  # ("nation", "FR") | ("region", code) | ("departement", code)
NATION: Place = ("nation", "FR")
PEOPLE_METRICS = ("peer_workers", "employed_peer_workers")
# What one program describes: the figures of a day, as one version of its release gives
# them (any-day figures: version 1).
Stand = tuple[date, int]


def _label(stand: Stand) -> str:
    day, version = stand
    return day.isoformat() if version == 1 else f"{day.isoformat()} version {version}"


@dataclass(frozen=True)
class Finding:
    """A hidden count of people the public can narrow to ``low``..``high``, inside
    1..threshold (or, for a net change, to -threshold..-1 or 1..threshold). ``kind``:
    "hidden figure", "net change", "one person" (a net change of one person, with the
    domains it moved: the fewest changes that explain the figures), "session attendance"."""

    kind: str
    what: str
    low: int
    high: int
    # The same, for a program to read: ("figure", day, place, metric), ("change", before,
    # after, place, metric), ("person", before, after, place, +1 | -1, domains),
    # ("training", variables) or ("session", (year, kind, audience), first_seen, sessions).
    subject: tuple = field(default=(), compare=False)
    # The release versions of the subject's days, in order: (version,) for a figure,
    # (before, after) for a change or a person; 1 for the any-day figures.
    versions: tuple[int, ...] = field(default=(), compare=False)

    @property
    def exact(self) -> bool:
        return self.low == self.high


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    # How many hidden counts of each kind were put to the program, and how many came out
    # exactly (whatever their value): to print, and to compare releases with.
    examined: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    exact: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    solves: int = 0

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


def attack(
    publications: Sequence[Publication],
    threshold: int = THRESHOLD,
    census_zeros_published: bool = CENSUS_ZEROS_PUBLISHED,
    published_changes: bool = PUBLISHED_CHANGES,
) -> list[Finding]:
    """Every hidden count of people that the publications, taken all together and set
    against each other in date (and version) order, pin to a value or a range inside
    1..threshold, under the rules given (see the module docstring).

    For the releases (issue 13): every public figure of every version of every release
    (``collect_releases``), ``census_zeros_published=False, published_changes=False``, and
    expect ``attack(...) == []``."""
    return attack_report(publications, threshold, census_zeros_published, published_changes).findings


def attack_report(
    publications: Sequence[Publication],
    threshold: int = THRESHOLD,
    census_zeros_published: bool = CENSUS_ZEROS_PUBLISHED,
    published_changes: bool = PUBLISHED_CHANGES,
) -> Report:
    """``attack``, with counts of what was examined."""
    report = Report()
    census = census_stands(publications)
    hidden_low = 1 if census_zeros_published else 0
    # A day that publishes what another did is the same program: solved once.
    solved: dict[tuple, dict[tuple[Place, str], tuple[int, int]]] = {}
    bounds = {}
    for stand, figures in sorted(census.items()):
        figures = _modelled(figures)
        same = tuple(sorted(figures.items(), key=lambda item: (item[0], str(item[1]))))
        if same not in solved:
            solved[same] = _CensusDay(figures, hidden_low).ranges(report)
        bounds[stand] = _bounds(stand, figures, solved[same], threshold, report)
    _census_differences(bounds, census, threshold, published_changes, report)
    _Trainings(publications).attack(threshold, report)
    _Collective(publications).attack(threshold, report)
    return report


# --- The census ------------------------------------------------------------------------


def _modelled(figures: "Figures") -> "Figures":
    """A day whose sectors are all hidden (the nation hidden with its employed) says nothing
    of them: each may hold any of the employed of its place, and sets of seven sectors would
    make the program a hundred times larger. They are left out: each is at most the
    employed of its place, which the program bounds already."""
    if any(isinstance(value, int) for (_, metric), value in figures.items() if metric.startswith("employed_sector:")):
        return figures
    return {key: value for key, value in figures.items() if not key[1].startswith("employed_sector:")}

Figures = dict[tuple[Place, str], int | str]


def census_figures(publications: Iterable[Publication]) -> dict[date, Figures]:
    """``census_stands`` of publications that give each day once (the any-day figures,
    protected or exact), by day."""
    stands = census_stands(publications)
    by_day = {day: figures for (day, _), figures in stands.items()}
    assert len(by_day) == len(stands), "several versions of a day: read them with census_stands"
    return by_day


def census_stands(publications: Iterable[Publication]) -> dict[Stand, Figures]:
    """Every census figure of people published, by the day it stands at and the version of
    that day's release: the same figure read from two answers is one (a number read
    anywhere beats "suppressed": that itself would be a leak, and the program takes the
    number). A release's series gives each earlier year's end as that year's release
    stood when it was made: the latest version made by then."""
    publications = list(publications)
    by_stand: dict[Stand, Figures] = defaultdict(dict)
    made: dict[date, list[Publication]] = defaultdict(list)
    for publication in publications:
        made[publication.day].append(publication)

    def stand_then(day: date, reader: Publication) -> Stand:
        versions = [
            p.version for p in made.get(day, [])
            if p.published_at is None or reader.published_at is None or p.published_at <= reader.published_at
        ]
        return day, max(versions, default=1)

    def put(stand: Stand, place: Place, metric: str, value: Any) -> None:
        figures = by_stand[stand]
        old = figures.get((place, metric))
        if old is None or old == SUPPRESSED:
            figures[(place, metric)] = value
        elif value != SUPPRESSED and value != old:
            raise AssertionError(f"{metric} of {place} on {_label(stand)}: published as {old} and as {value}")

    def counts(stand: Stand, place: Place, answer: dict) -> None:
        for metric in PEOPLE_METRICS:
            if metric in answer:
                put(stand, place, metric, answer[metric])
        by_domain = answer.get("peer_workers_by_domain", {})
        if by_domain == SUPPRESSED:  # a place's domains hidden all at once
            by_domain = dict.fromkeys((d.value for d in InterventionDomain), SUPPRESSED)
        for domain, value in by_domain.items():
            put(stand, place, f"domain:{domain}", value)
        for sector, value in answer.get("employed_by_sector", {}).items():
            put(stand, place, f"employed_sector:{sector}", value)

    for publication in publications:
        own = (publication.day, publication.version)
        for request, answer in publication.answers.items():
            if request == "/stats/national":
                counts(own, NATION, answer)
            elif request == "/stats/regions":
                for region in answer["regions"]:
                    counts(own, ("region", region["code"]), region)
            elif request.startswith("/stats/regions/"):
                counts(own, ("region", answer["code"]), answer)
                for departement in answer["departements"]:
                    counts(own, ("departement", departement["code"]), departement)
            elif request.startswith("/stats/departments/"):
                counts(own, ("departement", answer["code"]), answer)
            elif request.startswith("/reports/annual/"):
                stand = (date.fromisoformat(answer["as_of"]), publication.version)
                counts(stand, NATION, answer["national"])
                for row in answer["tables"]["regions"]:
                    counts(stand, ("region", row["region"]), row)
                for row in answer["tables"]["departements"]:
                    counts(stand, ("departement", row["departement"]), row)
                for row in answer["tables"]["domains"]:
                    for domain in InterventionDomain:
                        put(stand, ("region", row["region"]), f"domain:{domain.value}", row[domain.value])
                for row in answer["tables"]["employed_by_sector"]:
                    put(stand, NATION, f"employed_sector:{row['sector']}", row["employed_peer_workers"])
            elif request.startswith("/stats/series"):
                place = (
                    ("departement", answer["departement"]) if answer["departement"]
                    else ("region", answer["region"]) if answer["region"] else NATION
                )
                for year in answer["years"]:
                    counts(stand_then(date.fromisoformat(year["as_of"]), publication), place, year)
    return by_stand


class _Program:
    """Integer variables ≥ 0 with linear constraints; the least and greatest value of a sum."""

    def __init__(self, size: int, upper: float = BIG) -> None:
        self.size = size
        self.upper = upper
        self.rows: list[list[int]] = []
        self.low: list[float] = []
        self.high: list[float] = []
        self._matrix: LinearConstraint | None = None

    def constrain(self, variables: Iterable[int], low: float, high: float) -> None:
        self.rows.append(sorted(set(variables)))
        self.low.append(low)
        self.high.append(high)
        self._matrix = None

    def _constraints(self) -> LinearConstraint:
        if self._matrix is None:
            data, indices, pointers = [], [], [0]
            for row in self.rows:
                indices.extend(row)
                data.extend([1.0] * len(row))
                pointers.append(len(indices))
            matrix = csr_matrix((data, indices, pointers), shape=(len(self.rows), self.size))
            self._matrix = LinearConstraint(matrix, self.low, self.high)
        return self._matrix

    def range(self, variables: Iterable[int], report: Report) -> tuple[int, int]:
        """Least and greatest value of the sum of ``variables`` under the constraints."""
        variables = list(variables)
        if not variables:  # a figure of a place nobody can be in (its région published as 0)
            return 0, 0
        objective = np.zeros(self.size)
        objective[list(variables)] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            result = milp(
                sign * objective,
                integrality=np.ones(self.size),
                bounds=Bounds(0, self.upper),
                constraints=[self._constraints()] if self.rows else [],
            )
            report.solves += 1
            if result.status != 0:
                raise AssertionError(f"the program has no solution: {result.message}")
            ends.append(round(sign * result.fun))
        return ends[0], ends[1]


class _CensusDay:
    """One day's census as a program: ``x[d, S, e]`` for the départements that may hold
    someone (not published as 0, nor in a région published as 0), the sets of the domains
    not published as 0 nationally, not employed or employed in a set of the sectors not
    published as 0 nationally (unless nobody is employed; in one unknown sector when the
    day's sectors are not published at all)."""

    def __init__(self, figures: Figures, hidden_low: int) -> None:
        self.figures = figures

        def zero(place: Place, metric: str) -> bool:
            return figures.get((place, metric)) == 0

        self.departements = [
            code
            for region in geography.REGIONS.values()
            if not zero(("region", region.code), "peer_workers")
            for code in region.departement_codes
            if not zero(("departement", code), "peer_workers")
        ]
        domains = [d.value for d in InterventionDomain if not zero(NATION, f"domain:{d.value}")]
        self.sets = [frozenset(s) for size in range(1, len(domains) + 1) for s in combinations(domains, size)]
        self.employed = [frozenset()]
        if not zero(NATION, "employed_peer_workers"):
            sectors = [s.value for s in Sector if (NATION, f"employed_sector:{s.value}") in figures
                       and not zero(NATION, f"employed_sector:{s.value}")]
            self.employed += [frozenset(e) for size in range(1, len(sectors) + 1) for e in combinations(sectors, size)]
            if not any(metric.startswith("employed_sector:") for _, metric in figures):
                self.employed.append(frozenset({"unpublished"}))
        self.cells = [(d, s, e) for d in self.departements for s in self.sets for e in self.employed]
        self.index = {cell: n for n, cell in enumerate(self.cells)}
        national = figures.get((NATION, "peer_workers"))
        self.program = _Program(len(self.cells), national if isinstance(national, int) else BIG)
        for (place, metric), value in figures.items():
            variables = self.variables(place, metric)
            if value == SUPPRESSED:
                self.program.constrain(variables, hidden_low, np.inf)
            else:
                self.program.constrain(variables, value, value)

    def in_place(self, place: Place, departement: str) -> bool:
        level, code = place
        return (
            level == "nation"
            or (level == "region" and geography.departement(departement).region_code == code)
            or (level == "departement" and departement == code)
        )

    def variables(self, place: Place, metric: str, domains: frozenset[str] | None = None) -> list[int]:
        """The cells a figure sums; with ``domains``, only people with exactly those."""
        def counted(s: frozenset[str], e: frozenset[str]) -> bool:
            if domains is not None and s != domains:
                return False
            if metric == "employed_peer_workers":
                return bool(e)
            if metric.startswith("employed_sector:"):
                return metric.removeprefix("employed_sector:") in e
            if metric.startswith("domain:"):
                return metric.removeprefix("domain:") in s
            return True

        return [n for n, (d, s, e) in enumerate(self.cells) if self.in_place(place, d) and counted(s, e)]

    def ranges(self, report: Report) -> dict[tuple[Place, str], tuple[int, int]]:
        """The least and greatest value of each hidden figure, as the program finds them."""
        return {
            (place, metric): self.program.range(self.variables(place, metric), report)
            for (place, metric), value in sorted(self.figures.items())
            if value == SUPPRESSED
        }


def _bounds(
    stand: Stand,
    figures: Figures,
    ranges: dict[tuple[Place, str], tuple[int, int]],
    threshold: int,
    report: Report,
) -> dict[tuple[Place, str], tuple[int, int]]:
    """Each figure's least and greatest value: a published one is what it is; a hidden one
    what the program found, reported when it lies inside 1..threshold."""
    bounds = {}
    for key, value in sorted(figures.items()):
        if value != SUPPRESSED:
            bounds[key] = (value, value)
            continue
        place, metric = key
        low, high = bounds[key] = ranges[key]
        report.examined["hidden census figure"] += 1
        report.exact["hidden census figure"] += low == high
        if 1 <= low and high <= threshold:
            report.findings.append(Finding(
                "hidden figure", f"{metric} of {place[0]} {place[1]} on {_label(stand)}", low, high,
                ("figure", stand[0], place, metric), (stand[1],),
            ))
    return bounds


def _census_differences(
    bounds: dict[Stand, dict[tuple[Place, str], tuple[int, int]]],
    census: dict[Stand, Figures],
    threshold: int,
    published_changes: bool,
    report: Report,
) -> None:
    """The net change of figures between publications the public can set side by side:
    consecutive versions of one release, whose every change is a count of people (the late
    records); and every version of a day against every version of the next day, where a
    change counts people only if ``published_changes`` (otherwise only the changes of a
    figure hidden on one side at least are examined)."""
    stands = sorted(bounds)
    pairs = [(before, after, True) for before, after in zip(stands, stands[1:]) if before[0] == after[0]]
    versions: dict[date, list[Stand]] = defaultdict(list)
    for stand in stands:
        versions[stand[0]].append(stand)
    days = sorted(versions)
    for before_day, after_day in zip(days, days[1:]):
        pairs += [
            (before, after, published_changes) for before in versions[before_day] for after in versions[after_day]
        ]
    for before, after, people in pairs:
        published = {
            key for key in census[before].keys() & census[after].keys()
            if SUPPRESSED not in (census[before][key], census[after][key])
        }
        _changes(before, after, bounds, published, people, threshold, report)


def _changes(
    before: Stand,
    after: Stand,
    bounds: dict[Stand, dict[tuple[Place, str], tuple[int, int]]],
    published: set[tuple[Place, str]],
    people: bool,
    threshold: int,
    report: Report,
) -> None:
    """The changes from ``before`` to ``after``, reported when narrowed inside 1..threshold
    (or its negative). With ``people`` (each change a count of people) every figure's, and
    where a place's peer workers change by exactly one person and each of its domains by
    that one or by nothing, the fewest changes that explain it are that one person coming
    (or going) with exactly those domains: reported as "one person". Without, only the
    changes of figures hidden on one side at least."""
    span = f"from {_label(before)} to {_label(after)}"
    changes: dict[Place, dict[str, tuple[int, int]]] = defaultdict(dict)
    for key in sorted(bounds[before].keys() & bounds[after].keys()):
        if not people and key in published:
            continue
        (low0, high0), (low1, high1) = bounds[before][key], bounds[after][key]
        low, high = low1 - high0, high1 - low0
        place, metric = key
        changes[place][metric] = (low, high)
        if low == high == 0:
            continue
        report.examined["net change"] += 1
        report.exact["net change"] += low == high
        if 1 <= low and high <= threshold or -threshold <= low and high <= -1:
            report.findings.append(Finding(
                "net change", f"{metric} of {place[0]} {place[1]} {span}", low, high,
                ("change", before[0], after[0], place, metric), (before[1], after[1]),
            ))
    if not people:
        return
    for place, metrics in sorted(changes.items()):
        change = metrics.get("peer_workers")
        if change not in ((1, 1), (-1, -1)):
            continue
        sign = change[0]
        domains = {m.removeprefix("domain:"): c for m, c in metrics.items() if m.startswith("domain:")}
        if len(domains) < len(InterventionDomain) or any(c not in ((0, 0), (sign, sign)) for c in domains.values()):
            continue
        moved = sorted(d for d, c in domains.items() if c == (sign, sign))
        if not moved:
            continue
        employed = metrics.get("employed_peer_workers")
        report.findings.append(Finding(
            "one person",
            f"{'into' if sign > 0 else 'out of'} {place[0]} {place[1]} {span}, "
            f"with domains {', '.join(moved)}"
            + (", employed" if employed == change else ", not employed" if employed == (0, 0) else ""),
            1, 1, ("person", before[0], after[0], place, sign, tuple(moved)), (before[1], after[1]),
        ))


# --- The trainings -----------------------------------------------------------------------

Cell = tuple[int, str, str]  # (year, kind, audience)


@dataclass(frozen=True)
class _Batch:
    cell: Cell
    sessions: int
    first_seen: Stand  # the first publication that counts them
    before: Stand | None  # the previous publication, which did not


class _Trainings:
    """The national participants table of every training publication, as one program over
    the attendances of the batches of sessions the attacker tells apart."""

    def __init__(self, publications: Iterable[Publication]) -> None:
        # stand -> cell -> (sessions, participants); stand -> total name -> participants
        self.cells: dict[Stand, dict[Cell, tuple[int, Any]]] = defaultdict(dict)
        self.totals: dict[Stand, dict[tuple, Any]] = defaultdict(dict)
        for publication in publications:
            for request, answer in publication.answers.items():
                if request == "/stats/trainings" and answer["region"] is None and answer["departement"] is None:
                    stand = (date.fromisoformat(answer["as_of"]), publication.version)
                    self._rows(stand, answer["by_year"])
                    self.totals[stand][("total",)] = answer["participants"]
                    for row in answer["by_kind"]:
                        self.totals[stand][("kind", row["kind"])] = row["participants"]
                    for row in answer["by_audience"]:
                        self.totals[stand][("audience", row["audience"])] = row["participants"]
                elif request.startswith("/reports/annual/"):
                    stand = (date.fromisoformat(answer["as_of"]), publication.version)
                    self._rows(stand, answer["tables"]["trainings"])
                elif request == "/stats/series" and answer["region"] is None and answer["departement"] is None:
                    stand = (publication.day, publication.version)
                    for year in answer["years"]:
                        self.totals[stand][("year", year["year"])] = year["training_participants"]

        self.batches: list[_Batch] = []
        # stand -> cell -> the batches it sums
        self.content: dict[Stand, dict[Cell, list[int]]] = {}
        seen: dict[Cell, tuple[int, list[int]]] = {}
        previous = None
        for stand in sorted(self.cells.keys() | self.totals.keys()):
            if stand in self.cells:
                for cell, (sessions, _) in sorted(self.cells[stand].items()):
                    count, batches = seen.get(cell, (0, []))
                    if sessions < count:  # fewer than before: a correction; start the cell afresh
                        count, batches = 0, []
                    if sessions > count:
                        batches = [*batches, len(self.batches)]
                        self.batches.append(_Batch(cell, sessions - count, stand, previous))
                    seen[cell] = (sessions, batches)
                for cell in set(seen) - set(self.cells[stand]):
                    seen[cell] = (0, [])  # not listed: no session delivered in that cell
            self.content[stand] = {cell: batches for cell, (_, batches) in seen.items()}
            previous = stand

    def _rows(self, stand: Stand, rows: list[dict]) -> None:
        for row in rows:
            self.cells[stand][(row["year"], row["kind"], row["audience"])] = (row["sessions"], row["participants"])

    def _total_batches(self, stand: Stand, total: tuple) -> list[int]:
        content = self.content[stand]
        def matches(cell: Cell) -> bool:
            name = total[0]
            return (
                name == "total"
                or (name == "kind" and cell[1] == total[1])
                or (name == "audience" and cell[2] == total[1])
                or (name == "year" and cell[0] == total[1])
            )
        return [b for cell, batches in content.items() if matches(cell) for b in batches]

    def attack(self, threshold: int, report: Report) -> None:
        if not self.batches:
            return
        program = _Program(len(self.batches))
        hidden: dict[tuple[int, ...], str] = {}
        self.published: dict[tuple[int, ...], str] = {}
        for stand, cells in self.cells.items():
            for cell, (_, participants) in cells.items():
                variables = self.content[stand][cell]
                name = f"participants of {cell[0]} {cell[1]}/{cell[2]} as of {_label(stand)}"
                self._constrain(program, variables, participants, name, hidden)
        for stand, totals in self.totals.items():
            for total, participants in totals.items():
                name = f"participants, {' '.join(map(str, total))}, as of {_label(stand)}"
                self._constrain(program, self._total_batches(stand, total), participants, name, hidden)
        for variables, name in sorted(hidden.items(), key=lambda item: item[1]):
            low, high = program.range(variables, report)
            report.examined["hidden training figure"] += 1
            report.exact["hidden training figure"] += low == high
            if variables in self.published:  # the very same sessions, counted on another day
                report.exact["hidden training figure published another day"] += 1
                name += f" ({self.published[variables]})"
            if 1 <= low and high <= threshold:
                report.findings.append(Finding("hidden figure", name, low, high, ("training", variables)))
        for n, batch in enumerate(self.batches):
            low, high = program.range([n], report)
            report.examined["session attendance"] += 1
            report.exact["session attendance"] += low == high
            if 1 <= low and high <= threshold:
                year, kind, audience = batch.cell
                since = f"after {_label(batch.before)}, " if batch.before else ""
                report.findings.append(Finding(
                    "session attendance",
                    f"{batch.sessions} session(s) of {year} {kind}/{audience} delivered {since}"
                    f"by {_label(batch.first_seen)}",
                    low, high, ("session", batch.cell, batch.first_seen[0], batch.sessions),
                    (batch.first_seen[1],),
                ))

    def _constrain(self, program: _Program, variables: list[int], participants: Any, name: str,
                   hidden: dict[tuple[int, ...], str]) -> None:
        key = tuple(sorted(variables))
        if participants == SUPPRESSED:
            program.constrain(variables, 1, np.inf)
            hidden.setdefault(key, name)  # the same sum hidden on many days: asked once
        else:
            program.constrain(variables, participants, participants)
            self.published.setdefault(key, f"published as {participants}: {name}")


# --- Peers' collective organisation ------------------------------------------------------

# (year, measure) -> the row as published: ((place, count) ..., total)
Row = tuple[tuple[tuple[str, Any], ...], Any]
COLLECTIVE_PEOPLE = ("peer_worker_participants", "other_participants")


class _Collective:
    """Every version of every year's rows, as the releases and the annual reports publish them."""

    def __init__(self, publications: Iterable[Publication]) -> None:
        self.rows: dict[tuple[int, str], dict[Row, Stand]] = defaultdict(dict)  # row -> first stand seen
        for publication in sorted(publications, key=lambda p: (p.day, p.version)):
            stand = (publication.day, publication.version)
            for request, answer in publication.answers.items():
                if request == "/stats/collective":
                    totals = {y["year"]: y for y in answer["years"]}
                    places = [(p["year"], p["code"], p) for p in answer["by_region"]]
                elif request.startswith("/reports/annual/"):
                    table = answer["tables"].get("collective", [])
                    totals = {r["year"]: r for r in table if r["region"] is None}
                    places = [(r["year"], r["region"], r) for r in table if r["region"] is not None]
                else:
                    continue
                for year, total in totals.items():
                    for measure in COLLECTIVE_PEOPLE:
                        row = (tuple(sorted((code, p[measure]) for y, code, p in places if y == year)),
                               total[measure])
                        self.rows[year, measure].setdefault(row, stand)

    def attack(self, threshold: int, report: Report) -> None:
        for (year, measure), versions in sorted(self.rows.items()):
            ranges = []
            for row, stand in versions.items():
                name = f"{measure} of {year} as of {_label(stand)}"
                places, bounds = self._ranges(row, report)
                ranges.append((places, bounds))
                for place, (low, high) in bounds.items():
                    if places.get(place) != SUPPRESSED and place != "hidden":
                        continue  # published: known, and not a hidden count
                    report.examined["hidden collective figure"] += 1
                    report.exact["hidden collective figure"] += low == high
                    if 1 <= low and high <= threshold:
                        report.findings.append(Finding("hidden figure", f"{name}, {place}", low, high))
            for (_, before), (_, after) in zip(ranges, ranges[1:]):
                for place in before.keys() & after.keys():
                    low, high = after[place][0] - before[place][1], after[place][1] - before[place][0]
                    report.examined["collective change"] += 1
                    if (1 <= low and high <= threshold) or (-threshold <= low and high <= -1):
                        report.findings.append(Finding("net change", f"{measure} of {year}, {place}", low, high))

    @staticmethod
    def _ranges(row: Row, report: Report) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
        """Each place's least and greatest count, and the hidden places' together ("hidden")."""
        places, total = row
        codes = [code for code, _ in places]
        program = _Program(len(codes))
        for n, (_, count) in enumerate(places):
            if count == SUPPRESSED:
                program.constrain([n], 1, np.inf)
            else:
                program.constrain([n], count, count)
        if total != SUPPRESSED:
            program.constrain(range(len(codes)), total, total)
        hidden = [n for n, (_, count) in enumerate(places) if count == SUPPRESSED]
        bounds = {codes[n]: program.range([n], report) for n in hidden}
        if hidden:
            bounds["hidden"] = program.range(hidden, report)
        for n, (_, count) in enumerate(places):
            if count != SUPPRESSED:
                bounds[codes[n]] = (count, count)
        return dict(places), bounds
