"""The demo plan, checked without any service: replayed here under the services' rules, it
must be accepted command by command and make the platform's figures of the end of 2022."""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pytest

from demo.dataset import DEFAULT_SEED, build_plan
from demo.figures import figures_at
from demo.plan import Command, Plan, Ref
from peerwork_contracts import calendar, geography

END_OF_2022 = date(2022, 12, 31)
# Planned dates, not facts recorded: a session's days, a fixed-term contract's known end.
MAY_BE_FUTURE = {("schedule session", "starts_on"), ("schedule session", "ends_on"),
                 ("record employment", "ends_on")}


@pytest.fixture(scope="module", params=[DEFAULT_SEED, 7])
def plan(request: pytest.FixtureRequest) -> Plan:
    return build_plan(request.param, calendar.today())


@pytest.fixture(scope="module")
def replay(plan: Plan) -> "Replay":
    return Replay(plan)


# --- An independent replay of the plan under the services' rules -----------------------------


@dataclass
class PeerWorker:
    spells: list[tuple[date, str]]  # (since, département)
    withdrawn_on: date | None = None
    # employment key -> [structure, start, end]
    employments: dict[str, list[Any]] = field(default_factory=dict)

    def open_at(self, structure: str) -> bool:
        return any(s == structure and end is None for s, _, end in self.employments.values())

    def latest_fact(self) -> date:
        return max([self.spells[-1][0], *(start for _, start, _ in self.employments.values())])


@dataclass
class Session:
    body: dict[str, Any]
    enrolments: dict[str, list[Any]] = field(default_factory=dict)  # key -> [who, seats, attended]
    closed: str | None = None


class Replay:
    def __init__(self, plan: Plan) -> None:
        self.today = plan.today
        self.structures: dict[str, tuple[str, date]] = {}
        self.peer_workers: dict[str, PeerWorker] = {}
        self.hirings: list[tuple[str | None, str, date, dict[str, Any]]] = []
        self.accompaniments: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, Session] = {}
        self.networks: dict[str, dict[str, Any]] = {}
        for command in plan.commands:
            handle = {"structures": self.structure, "peer-workers": self.peer_worker,
                      "accompaniments": self.accompaniment, "training-sessions": self.session,
                      "peer-networks": self.network}
            handle[str(command.path[0])](command, command.body, command.path)
        # The registry records hirings from the bus once the loader is through with the
        # registry, in an order nobody controls: each must be acceptable whatever the order.
        self.record_hirings()

    def structure(self, command: Command, body: dict[str, Any], path: tuple) -> None:
        self.structures[str(command.binds)] = (body["departement"], body["effective_on"])

    def peer_worker(self, command: Command, body: dict[str, Any], path: tuple) -> None:
        if len(path) == 1:
            first = (body["registered_on"], body["departement"])
            self.peer_workers[str(command.binds)] = PeerWorker([first])
            return
        me = self.peer_workers[path[1].key]
        assert me.withdrawn_on is None, f"{command}: the peer worker is withdrawn"
        action = path[-1]
        if action == "employments":
            structure = body["structure_id"].key
            assert structure in self.structures
            assert body["starts_on"] >= me.spells[0][0], f"{command}: before the registration"
            assert body.get("ends_on") is None or body["ends_on"] > body["starts_on"]
            assert not me.open_at(structure), f"{command}: already employed there"
            me.employments[str(command.binds)] = [structure, body["starts_on"], body.get("ends_on")]
        elif action == "end":
            employment = me.employments[path[3].key]
            assert employment[2] is None and body["ends_on"] > employment[1], command
            employment[2] = body["ends_on"]
        elif action == "move":
            since, where = me.spells[-1]
            assert body["effective_on"] >= since and body["departement"] != where, command
            me.spells.append((body["effective_on"], body["departement"]))
        elif action == "withdraw":
            assert body["effective_on"] >= me.latest_fact(), f"{command}: before a recorded fact"
            me.withdrawn_on = body["effective_on"]
            for employment in me.employments.values():
                if employment[2] is None or employment[2] > me.withdrawn_on:
                    employment[2] = me.withdrawn_on
        else:
            raise AssertionError(f"unexpected registry command {command}")

    def accompaniment(self, command: Command, body: dict[str, Any], path: tuple) -> None:
        if len(path) == 1:
            assert body["structure_id"].key in self.structures
            self.accompaniments[str(command.binds)] = {**body, "steps": [], "closed": None}
            return
        me = self.accompaniments[path[1].key]
        assert me["closed"] is None, f"{command}: recorded after the closure"
        day = body.get("occurred_on", body.get("closed_on"))
        assert day >= me["requested_on"], f"{command}: before the request"
        if path[-1] == "close":
            assert body["outcome"] != "hired" or "peer_worker_hired" in me["steps"], command
            me["closed"] = body["outcome"]
            return
        milestone = body["milestone"]
        if milestone == "readiness_assessed":
            assert isinstance(body["ready"], bool) and not (body["ready"] and body.get("reason"))
        else:
            assert "ready" not in body and "reason" not in body, command
        if milestone == "peer_worker_hired":
            assert ("peer_worker_id" in body) != ("new_peer_worker" in body), command
            who = body["peer_worker_id"].key if "peer_worker_id" in body else None
            self.hirings.append((who, me["structure_id"].key, day, body))
        me["steps"].append(milestone)

    def session(self, command: Command, body: dict[str, Any], path: tuple) -> None:
        if len(path) == 1:
            assert body["ends_on"] >= body["starts_on"] >= body["scheduled_on"], command
            self.sessions[str(command.binds)] = Session(body)
            return
        me = self.sessions[path[1].key]
        assert me.closed is None, f"{command}: the session is {me.closed}"
        action = path[-1]
        if action == "enrolments":
            assert body["enrolled_on"] >= me.body["scheduled_on"], command
            who = body.get("peer_worker_id", body.get("structure_id"))
            seats = body.get("seats", 1)
            assert "peer_worker_id" not in body or who.key in self.peer_workers
            assert "structure_id" not in body or who.key in self.structures
            assert who.key not in {w for w, *_ in me.enrolments.values()}, f"{command}: twice"
            taken = sum(s for _, s, _ in me.enrolments.values())
            assert taken + seats <= me.body["capacity"], f"{command}: over capacity"
            me.enrolments[str(command.binds)] = [who.key, seats, None]
        elif action == "attendance":
            enrolment = me.enrolments[path[3].key]
            assert body["recorded_on"] >= me.body["starts_on"], f"{command}: before it began"
            assert 0 <= body["attended"] <= enrolment[1]
            enrolment[2] = body["attended"]
        elif action == "complete":
            assert body["completed_on"] >= me.body["ends_on"], command
            assert all(attended is not None for *_, attended in me.enrolments.values()), command
            me.closed = "completed"
        elif action == "cancel":
            assert body["cancelled_on"] >= me.body["scheduled_on"], command
            me.closed = "cancelled"

    def network(self, command: Command, body: dict[str, Any], path: tuple) -> None:
        if len(path) == 1:
            assert body["formed_on"] <= self.today and body["scope"] in ("departement", "region", "national")
            self.networks[str(command.binds)] = {**body, "meetings": [], "ended_on": None}
            return
        me = self.networks[path[1].key]
        assert me["ended_on"] is None, f"{command}: the network ended"
        if path[-1] == "end":
            assert all(day < body["ended_on"] for day, _, _ in me["meetings"]), command
            me["ended_on"] = body["ended_on"]
            return
        day, who = body["held_on"], [ref.key for ref in body["peer_worker_ids"]]
        assert me["formed_on"] <= day <= self.today and 0 < body["hours"] <= 24, command
        assert len(set(who)) == len(who) and (who or body["other_participants"]), command
        for key in who:  # registered by then, never withdrawn before, in the network's territory
            peer_worker = self.peer_workers[key]
            assert peer_worker.spells[0][0] <= day, f"{command}: {key} not registered yet"
            assert peer_worker.withdrawn_on is None or peer_worker.withdrawn_on > day, command
            where = [d for since, d in peer_worker.spells if since <= day][-1]
            if me["scope"] == "departement":
                assert where == me["departement"], command
            elif me["scope"] == "region":
                assert geography.departement(where).region_code == me["region"], command
        me["meetings"].append((day, who, body["other_participants"]))

    def record_hirings(self) -> None:
        seen: Counter[tuple[str, str]] = Counter()
        for who, structure, day, body in self.hirings:
            if who is None:
                new = body["new_peer_worker"]
                self.peer_workers[f"hired:{len(self.peer_workers)}"] = PeerWorker(
                    [(day, new["departement"])], employments={"hiring": [structure, day, None]}
                )
                continue
            me = self.peer_workers[who]
            # Else the registry parks the hiring on the dead letters, and counts nothing.
            assert me.withdrawn_on is None, f"hiring of {who} on {day}: withdrawn"
            assert day >= me.spells[0][0], f"hiring of {who} on {day}: before the registration"
            assert not me.open_at(structure), f"hiring of {who} on {day}: employed there already"
            seen[who, structure] += 1
            assert seen[who, structure] == 1, f"{who} hired twice by {structure}"
        for who, structure, day, _ in self.hirings:
            if who is not None:
                employments = self.peer_workers[who].employments
                employments[f"hiring:{day}:{structure}"] = [structure, day, None]

    def census(self, day: date) -> dict[str, Any]:
        where = {}
        for key, me in self.peer_workers.items():
            if me.spells[0][0] <= day and (me.withdrawn_on is None or me.withdrawn_on > day):
                where[key] = [d for since, d in me.spells if since <= day][-1]
        structures = [d for d, since in self.structures.values() if since <= day]
        in_ara = sum(geography.departement(d).region_code == "84" for d in where.values())
        return {
            "peer_workers": len(where),
            "partner_structures": len(structures),
            "departements_covered": len(set(where.values()) | set(structures)),
            "ara_share": round(in_ara / len(where), 4),
        }


# --- The figures ------------------------------------------------------------------------------


def test_the_plan_makes_the_figures_reported_for_the_end_of_2022(replay: Replay) -> None:
    figures = replay.census(END_OF_2022)
    assert figures["peer_workers"] == 1020
    assert figures["partner_structures"] == 150
    assert figures["departements_covered"] == 60
    assert round(figures["ara_share"], 2) == 0.12


def test_the_plans_own_figures_agree_with_the_replay(plan: Plan, replay: Replay) -> None:
    for day in (date(2018, 12, 31), END_OF_2022, plan.today):
        own = figures_at(plan, day)
        figures = replay.census(day)
        assert figures == {
            "peer_workers": own.peer_workers, "partner_structures": own.partner_structures,
            "departements_covered": own.departements_covered, "ara_share": own.ara_share,
        }


def test_the_census_grows_every_year_and_goes_on_after_2022(plan: Plan, replay: Replay) -> None:
    last_full_year = plan.today.year - 1
    years = range(2015, last_full_year + 1)
    sizes = [replay.census(date(year, 12, 31))["peer_workers"] for year in years]
    assert sizes == sorted(set(sizes)) and sizes[0] > 0
    assert replay.census(plan.today)["peer_workers"] > sizes[-1]
    assert replay.census(plan.today)["departements_covered"] == 60  # moves stay among the 60


def test_the_history_has_departures_moves_and_ended_employments(plan: Plan, replay: Replay) -> None:
    counts = plan.counts()
    registered_by_2022 = [p for p in replay.peer_workers.values() if p.spells[0][0] <= END_OF_2022]
    assert len(registered_by_2022) > 1020
    assert any(p.withdrawn_on and p.withdrawn_on <= END_OF_2022 for p in registered_by_2022)
    everyone = replay.peer_workers.values()
    assert any(p.withdrawn_on and p.withdrawn_on > END_OF_2022 for p in everyone)
    assert counts["move peer worker"] > 20 and counts["end employment"] > 20
    employed = [p for p in replay.peer_workers.values() if p.employments]
    assert len(employed) > len(replay.peer_workers) / 2
    assert any(c.body.get("new_peer_worker") for c in plan.commands)
    assert any(c.body.get("milestone") == "peer_worker_hired" and "peer_worker_id" in c.body
               for c in plan.commands)


def test_demand_grows_year_by_year(plan: Plan) -> None:
    requests = [c.body["requested_on"] for c in plan.commands if c.label == "open accompaniment"]
    opened = Counter(day.year for day in requests)
    years = range(2015, plan.today.year)
    assert [opened[y] for y in years] == sorted(opened[y] for y in years)
    assert opened[2015] > 0 and opened[2016] > opened[2015]


def test_every_milestone_outcome_and_training_kind_occurs(plan: Plan) -> None:
    bodies = [c.body for c in plan.commands]
    assert {b["milestone"] for b in bodies if "milestone" in b} == {
        "team_awareness", "readiness_assessed", "representations_discussed", "missions_defined",
        "job_description_drafted", "recruitment_opened", "peer_worker_hired",
        "onboarding_supported", "follow_up_meeting",
    }
    readiness = [b for b in bodies if b.get("milestone") == "readiness_assessed"]
    assert {b["ready"] for b in readiness} == {True, False}
    assert {b["outcome"] for b in bodies if "outcome" in b} == {
        "hired", "postponed", "abandoned", "redirected",
    }
    sessions = [c for c in plan.commands if c.label == "schedule session"]
    assert {c.body["kind"] for c in sessions} == {
        "awareness_for_professionals", "training_for_professionals", "peer_worker_training",
        "university_diploma_support", "collective_peer_meeting",
    }
    assert {c.body["audience"] for c in sessions} == {"professionals", "peer_workers", "mixed"}
    assert min(c.body["starts_on"] for c in sessions).year == 2015
    counts = plan.counts()
    assert counts["cancel session"] > 0 and counts["complete session"] > 0
    assert any("seats" in b for b in bodies)
    assert any("peer_worker_id" in b and "enrolled_on" in b for b in bodies)


def test_no_fact_is_dated_after_today(plan: Plan) -> None:
    for command in plan.commands:
        for name, value in _dates(command.body):
            if (command.label, name) not in MAY_BE_FUTURE:
                assert value <= plan.today, f"{command}: {name} is in the future"


def test_every_ref_names_what_an_earlier_stage_or_the_same_chain_created(plan: Plan) -> None:
    created: set[str] = set()
    for stage in plan.stages:
        in_stage: dict[str, set[str]] = {}
        for command in stage:
            mine = in_stage.setdefault(command.chain, set())
            for ref in command.refs():
                assert ref.key in created or ref.key in mine, f"{command}: {ref} not created before"
            if command.binds is not None:
                assert command.binds not in created, f"{command.binds} created twice"
                mine.add(command.binds)
        created.update(*in_stage.values())
    chains = [{c.chain for c in stage} for stage in plan.stages]
    assert all(not a & b for i, a in enumerate(chains) for b in chains[i + 1:])


def test_the_same_seed_gives_the_same_plan() -> None:
    today = date(2025, 6, 30)
    assert build_plan(3, today) == build_plan(3, today)
    assert build_plan(3, today) != build_plan(4, today)
    three, four = (figures_at(build_plan(seed, today), END_OF_2022) for seed in (3, 4))
    # Who is employed varies, not the census.
    assert replace(four, employed_peer_workers=0) == replace(three, employed_peer_workers=0)


def test_a_plan_needs_a_day_after_2022() -> None:
    with pytest.raises(ValueError, match="must be later"):
        build_plan(today=END_OF_2022)


def test_a_command_names_the_refs_of_its_path_and_body() -> None:
    command = Command("registry", "x", ("peer-workers", Ref("p")), {"structure_id": Ref("s")}, "p")
    assert {ref.key for ref in command.refs()} == {"p", "s"}


def _dates(value: Any, name: str = "") -> list[tuple[str, date]]:
    if isinstance(value, date):
        return [(name, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _dates(item, key)]
    return []


def test_peers_networks_meet_every_year_in_auvergne_rhone_alpes_and_elsewhere(replay: Replay):
    """So that the 2022 report has collective figures, large enough to be published."""
    met_in_2022 = [n for n in replay.networks.values() if any(d.year == 2022 for d, _, _ in n["meetings"])]
    assert {n["scope"] for n in met_in_2022} == {"departement", "region", "national"}
    assert sum(1 for n in met_in_2022 if n.get("departement") in ("38", "69") or n.get("region") == "84") >= 3
    first = min(n["formed_on"] for n in replay.networks.values())
    assert first.year == 2016
    people = {key for n in met_in_2022 for d, who, _ in n["meetings"] if d.year == 2022 for key in who}
    assert len(people) > 30
    assert any(n["ended_on"] is not None for n in replay.networks.values())


def test_the_demo_ends_with_the_address_of_the_2022_report(capsys):
    from demo.__main__ import main

    assert main(["--dry-run", "--reporting", "http://reports.example:8003/"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith("http://reports.example:8003/reports/annual/2022")
