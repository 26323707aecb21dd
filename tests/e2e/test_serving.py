"""How the services listen, as processes: a forwarded client address is believed only from
a proxy the settings trust, and a port already taken stops the service with a message."""

import socket
import subprocess
import sys

import httpx
import pytest

from tests.e2e.services import Service


def reporting(nats_server, tmp_path, **settings: str) -> Service:  # noqa: ANN001
    """Reporting, allowing one public request a minute per client address."""
    service = Service("reporting", nats_server.url, tmp_path)
    service.env.update(REPORTING_CONSUMER_ENABLED="false", REPORTING_PUBLIC_REQUESTS_PER_MINUTE="1", **settings)
    return service.start()


def from_(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def test_by_default_a_forwarded_address_does_not_change_whose_budget_a_request_spends(nats_server, tmp_path):
    service = reporting(nats_server, tmp_path)
    try:
        with httpx.Client(base_url=service.url) as client:
            assert client.get("/stats/releases", headers=from_("203.0.113.1")).status_code == 200
            refused = client.get("/stats/releases", headers=from_("203.0.113.2"))
        assert refused.status_code == 429
        assert "from 127.0.0.1" in refused.json()["detail"]  # the connection's address
    finally:
        service.stop()


def test_a_trusted_proxy_forwards_its_clients_addresses(nats_server, tmp_path):
    service = reporting(nats_server, tmp_path, REPORTING_FORWARDED_ALLOW_IPS="127.0.0.1")
    try:
        with httpx.Client(base_url=service.url) as client:
            assert client.get("/stats/releases", headers=from_("203.0.113.1")).status_code == 200
            assert client.get("/stats/releases", headers=from_("203.0.113.2")).status_code == 200
            refused = client.get("/stats/releases", headers=from_("203.0.113.1"))
        assert refused.status_code == 429
        assert "from 203.0.113.1" in refused.json()["detail"]
    finally:
        service.stop()


def test_an_address_that_is_not_one_is_refused_at_start(nats_server, tmp_path):
    service = Service("reporting", nats_server.url, tmp_path)
    service.env["REPORTING_FORWARDED_ALLOW_IPS"] = "127.0.0.1, proxy.example"
    started = subprocess.run(
        [sys.executable, "-m", "peerwork_reporting"], env=service.env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode != 0
    assert "REPORTING_FORWARDED_ALLOW_IPS: 'proxy.example' is not an IP address or network" in started.stderr


@pytest.mark.parametrize("name", ["registry", "accompaniment", "reporting"])
def test_a_service_whose_port_is_taken_exits_naming_it(nats_server, tmp_path, name):
    service = Service(name, nats_server.url, tmp_path)
    with socket.create_server(("127.0.0.1", service.port)):  # another process's, say
        # Before, the consumers (registry, reporting) took uvicorn's exit for a failure of
        # their own and started again, for ever: the timeout expired.
        started = subprocess.run(
            [sys.executable, "-m", f"peerwork_{name}"], env=service.env, capture_output=True, text=True, timeout=60
        )
    assert started.returncode != 0
    assert f"cannot listen on 127.0.0.1 port {service.port}" in started.stderr
    assert f"{name.upper()}_PORT" in started.stderr
