"""``python -m demo`` against the services as processes: once every event has flowed
(hirings through the registry included), reporting shows the figures of the end of 2022."""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from demo.dataset import REFERENCE_DAY, build_plan
from demo.figures import figures_at
from tests.e2e.services import Service
from tests.helpers import eventually

ROOT = Path(__file__).resolve().parents[2]


def census(reporting: Service, path: str, as_of: object) -> dict:
    response = httpx.get(f"{reporting.url}{path}", params={"as_of": str(as_of)}, timeout=10)
    response.raise_for_status()
    return response.json()


@pytest.mark.timeout(240)
def test_the_demo_makes_the_figures_of_2022(stack, nats_server, tmp_path, persistence):
    registry, reporting = stack
    accompaniment = Service("accompaniment", nats_server.url, tmp_path, persistence).start()
    try:
        loaded = subprocess.run(
            [sys.executable, "-m", "demo",
             "--registry", registry.url, "--accompaniment", accompaniment.url],
            cwd=ROOT, capture_output=True, text=True, timeout=90, check=False,
        )
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
        assert "1,020 peer workers" in loaded.stdout

        # What the command loaded (same seed, same day): everything is in once today's
        # figures, made partly by hirings the registry records from the bus, are reached.
        plan = build_plan()
        latest = figures_at(plan, plan.today)
        seen: dict = {}

        def caught_up() -> bool:
            seen.update(census(reporting, "/stats/national", plan.today))
            return (seen["peer_workers"], seen["employed_peer_workers"]) == (
                latest.peer_workers, latest.employed_peer_workers,
            )

        try:
            eventually(caught_up, timeout=120, interval=0.5)
        except AssertionError:
            pytest.fail(f"reporting shows {seen}, the demo makes {latest}")

        national = census(reporting, "/stats/national", REFERENCE_DAY)
        assert national["peer_workers"] == 1020
        assert national["partner_structures"] == 150
        assert national["departements_covered"] == 60
        ara = census(reporting, "/stats/regions/84", REFERENCE_DAY)
        assert round(ara["share_of_peer_workers"], 2) == 0.12
        assert (seen["partner_structures"], seen["departements_covered"]) == (
            latest.partner_structures, latest.departements_covered,
        )
    finally:
        accompaniment.stop()
