import asyncio
from datetime import date

import httpx
import pytest

from demo.loader import load
from tests.e2e.services import ANALYST, Service
from tests.helpers import eventually, reset_streams, token

from .history import WINDOW_END, History, build_history


@pytest.fixture(scope="module")
def history() -> History:
    return build_history()


@pytest.fixture(scope="module")
def reporting_url(nats_server, tmp_path_factory, history: History):
    """The three services as processes over a real nats-server, on SQLite, loaded with
    ``history`` through their HTTP APIs by the demo's loader; reporting's URL once it has
    every event. Reporting keeps its default public rate limit (600 requests a minute per
    address): the attacker's month of days takes about 190 requests."""
    reset_streams(nats_server.url)  # the module its own stream history
    data = tmp_path_factory.mktemp("attack")
    services = []
    try:
        for name in ("registry", "accompaniment", "reporting"):
            services.append(Service(name, nats_server.url, data).start())
        registry, accompaniment, reporting = services
        asyncio.run(load(history.plan, registry.url, accompaniment.url, token("staff", subject="attack loader")))
        expected = _expected_end(history)
        seen: dict = {}

        def caught_up() -> bool:
            params = {"as_of": WINDOW_END.isoformat(), "exact": "true"}
            census = httpx.get(f"{reporting.url}/stats/national", params=params, headers=ANALYST).json()
            trainings = httpx.get(f"{reporting.url}/stats/trainings", params=params, headers=ANALYST).json()
            seen.update(peer_workers=census["peer_workers"], delivered=trainings["delivered"])
            return seen == expected

        try:
            eventually(caught_up, timeout=120, interval=0.2)
        except AssertionError:
            pytest.fail(f"reporting shows {seen}, the history makes {expected}")
        yield reporting.url
    finally:
        for service in reversed(services):
            service.stop()


def _expected_end(history: History) -> dict:
    labels = history.plan.counts()
    return {
        "peer_workers": labels["register peer worker"] - labels["withdraw peer worker"],
        "delivered": sum(1 for s in history.sessions if s.ends_on <= WINDOW_END),
    }
