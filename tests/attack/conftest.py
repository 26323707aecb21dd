import asyncio
from dataclasses import dataclass

import httpx
import pytest

from demo.loader import load
from tests.e2e.services import ANALYST, Service
from tests.helpers import eventually, reset_streams, token

from .history import WINDOW_END, History, build_history


@dataclass(frozen=True)
class Loaded:
    registry_url: str
    reporting_url: str


@pytest.fixture(scope="package")
def history() -> History:
    return build_history()


@pytest.fixture(scope="package")
def loaded(nats_server, tmp_path_factory, history: History):
    """The three services as processes over a real nats-server, on SQLite, loaded with
    ``history`` through their HTTP APIs by the demo's loader, once reporting has every
    event. Loaded once for the attack tests (loading takes most of their time): a test
    that records more backdates it after the days the any-day test reads (31 December
    2021 and March 2022). Reporting keeps its default public rate limit
    (600 requests a minute per address): the public's collector of the releases reads
    about 11 answers per release version."""
    reset_streams(nats_server.url)  # the attack tests their own stream history
    data = tmp_path_factory.mktemp("attack")
    services = []
    try:
        for name in ("registry", "accompaniment"):
            services.append(Service(name, nats_server.url, data).start())
        registry, accompaniment = services
        asyncio.run(load(history.plan, registry.url, accompaniment.url, token("staff", subject="attack loader")))
        # Started on the complete history, as a platform's reporting runs on a settled one:
        # it makes each release once, rather than versions of a load half done, which the
        # attacker could not tie together (a publisher's pass reads each day's figures as
        # the views stand then, so a release's series may give an earlier year's figures
        # as no version of that year's release gives them).
        reporting = Service("reporting", nats_server.url, data).start()
        services.append(reporting)
        expected = _expected_end(history)
        seen: dict = {}

        def caught_up() -> bool:
            params = {"as_of": WINDOW_END.isoformat(), "exact": "true"}
            census = httpx.get(f"{reporting.url}/stats/national", params=params, headers=ANALYST).json()
            trainings = httpx.get(f"{reporting.url}/stats/trainings", params=params, headers=ANALYST).json()
            collective = httpx.get(f"{reporting.url}/stats/collective", params=params, headers=ANALYST).json()
            seen.update(peer_workers=census["peer_workers"], delivered=trainings["delivered"],
                        meetings=sum(year["meetings"] for year in collective["years"]))
            return seen == expected

        try:
            eventually(caught_up, timeout=120, interval=0.2)
        except AssertionError:
            pytest.fail(f"reporting shows {seen}, the history makes {expected}")
        yield Loaded(registry.url, reporting.url)
    finally:
        for service in reversed(services):
            service.stop()


@pytest.fixture(scope="package")
def reporting_url(loaded: Loaded) -> str:
    return loaded.reporting_url


def _expected_end(history: History) -> dict:
    labels = history.plan.counts()
    return {
        "peer_workers": labels["register peer worker"] - labels["withdraw peer worker"],
        "delivered": sum(1 for s in history.sessions if s.ends_on <= WINDOW_END),
        "meetings": history.meetings,
    }
