"""The rate limit on reporting's public figures, through real HTTP: per client address, a
429 with Retry-After beyond it; holders of a valid token and the operations routes are
never limited."""

from contextlib import contextmanager

import httpx
import pytest

from peerwork_reporting.bootstrap import bootstrap
from peerwork_reporting.config import Settings
from tests.helpers import ServedApp, bearer

PUBLIC = ["/stats/national", "/stats/regions", "/stats/accompaniments", "/reports/annual/2020", "/stats/releases"]
# What the public routes answer on an empty store: the releases (none yet), or a 409 that
# says no release has been made; either spends the budget.
ANSWERED = {200, 409}


@contextmanager
def reporting(tmp_path, per_minute: int):  # noqa: ANN001
    settings = Settings(
        store_path=tmp_path / "s.sqlite",
        consumer_enabled=False,
        public_requests_per_minute=per_minute,
    )
    with ServedApp(bootstrap(settings)) as served:
        yield served.url


def spend(client: httpx.Client, requests: int) -> None:
    """``requests`` public requests, over several routes: they share the address's budget."""
    for n in range(requests):
        response = client.get(PUBLIC[n % len(PUBLIC)])
        assert response.status_code in ANSWERED, response.text


@pytest.mark.parametrize("per_minute", [1, 4])
def test_past_the_limit_an_address_gets_429_with_retry_after(tmp_path, per_minute):
    with reporting(tmp_path, per_minute) as url, httpx.Client(base_url=url) as client:
        spend(client, per_minute)
        refused = client.get("/stats/regions/84")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 60
        assert f"more than {per_minute} requests a minute" in refused.json()["detail"]

        # Another address (the same loopback, from 127.0.0.2) has a budget of its own.
        other = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(base_url=url, transport=other) as elsewhere:
            spend(elsewhere, per_minute)


@pytest.mark.parametrize("role", ["staff", "analyst", "admin"])
def test_a_valid_token_is_not_limited_and_a_wrong_one_is_refused(tmp_path, role):
    with reporting(tmp_path, 2) as url, httpx.Client(base_url=url) as client:
        spend(client, 2)
        for path in PUBLIC * 2:
            assert client.get(path, headers=bearer(role)).status_code in ANSWERED
        assert client.get("/stats/national?exact=true", headers=bearer("analyst")).status_code == 200
        wrong = {"Authorization": "Bearer not-a-token"}
        assert client.get("/stats/national", headers=wrong).status_code == 401
        assert client.get("/stats/national").status_code == 429


def test_health_readiness_metrics_and_documents_are_never_limited(tmp_path):
    with reporting(tmp_path, 1) as url, httpx.Client(base_url=url) as client:
        spend(client, 1)
        assert client.get("/stats/national").status_code == 429
        for _ in range(3):
            for path in ["/health", "/ready", "/metrics", "/openapi.json"]:
                assert client.get(path).status_code == 200, path


def test_zero_means_no_limit_and_the_default_is_generous(tmp_path, monkeypatch):
    with reporting(tmp_path, 0) as url, httpx.Client(base_url=url) as client:
        spend(client, 30)
    assert Settings().public_requests_per_minute == 600
    monkeypatch.setenv("REPORTING_PUBLIC_REQUESTS_PER_MINUTE", "30")
    assert Settings().public_requests_per_minute == 30
