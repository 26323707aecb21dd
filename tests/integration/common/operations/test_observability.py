"""Readiness, Prometheus metrics and JSON logs, through real HTTP against real NATS."""

import json
from uuid import uuid4

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_reporting.bootstrap import bootstrap as reporting_app
from peerwork_reporting.config import Settings as ReportingSettings
from tests.e2e.services import Service
from tests.helpers import ServedApp, bearer, eventually

STRUCTURE = {"name": "Le Relais", "departement": "38", "sector": "shelter_housing"}


@pytest.fixture(scope="module")
def nats(tmp_path_factory):
    # Not the session's server: the registry's relay must find its own events only.
    server = NatsServer(tmp_path_factory.mktemp("nats"), free_port()).start()
    yield server
    server.stop()


def registry(data, nats_url: str):  # noqa: ANN001
    return registry_app(RegistrySettings(sqlite_path=data / "registry.sqlite", nats_url=nats_url))


def metrics(client: httpx.Client) -> dict[tuple[str, frozenset], float]:
    """Every sample of ``/metrics``, by name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def commands(samples: dict, outcome: str) -> float:
    labels = frozenset({"method": "POST", "route": "/structures", "outcome": outcome}.items())
    return samples.get(("peerwork_commands_total", labels), 0)


def ready(client: httpx.Client) -> bool:
    return client.get("/ready").status_code == 200


def test_metrics_follow_commands_from_the_store_to_the_stream_and_the_projection(nats, tmp_path):
    reporting = reporting_app(
        ReportingSettings(store_path=tmp_path / "reporting.sqlite", nats_url=nats.url)
    )
    with (
        ServedApp(registry(tmp_path, nats.url)) as served_registry,
        ServedApp(reporting) as served_reporting,
        httpx.Client(base_url=served_registry.url, headers=bearer("staff")) as api,
        httpx.Client(base_url=served_reporting.url) as stats,
    ):
        eventually(lambda: ready(api) and ready(stats))
        checks = api.get("/ready").json()["checks"]
        assert checks == {
            "database": "ok", "nats": "ok", "relay": "ok", "consumer registry-hirings": "ok"
        }
        before = metrics(api)
        assert (commands(before, "handled"), commands(before, "rejected")) == (0, 0)

        assert api.post("/structures", json=STRUCTURE).status_code == 201
        assert api.post("/structures", json={**STRUCTURE, "departement": "20"}).status_code == 422

        def relayed() -> bool:
            samples = metrics(api)
            lag = samples[("peerwork_relay_lag", frozenset())]
            return lag == 0 and samples[("peerwork_events_published_total", frozenset())] == 1

        eventually(relayed)
        after = metrics(api)
        assert (commands(after, "handled"), commands(after, "rejected")) == (1, 1)
        assert after[("peerwork_events_stored_total", frozenset())] == 2  # the structure, its name's claim
        hirings = frozenset({"consumer": "registry-hirings"}.items())
        assert after[("peerwork_consumer_position", hirings)] == 0  # no hiring on the stream
        assert after[("peerwork_consumer_lag", hirings)] == 0

        projection = frozenset({"consumer": "reporting"}.items())

        def projected() -> bool:  # and acknowledged: the lag counts what is not
            samples = metrics(stats)
            position = samples.get(("peerwork_consumer_position", projection))
            return position == 1 and samples.get(("peerwork_consumer_lag", projection)) == 0

        eventually(projected)


def test_not_ready_while_nats_is_away_and_ready_again_once_back(tmp_path):
    server = NatsServer(tmp_path / "nats", free_port()).start()
    try:
        with (
            ServedApp(registry(tmp_path, server.url)) as served,
            httpx.Client(base_url=served.url) as api,
        ):
            eventually(lambda: ready(api))

            server.stop()
            eventually(lambda: api.get("/ready").status_code == 503)
            body = api.get("/ready").json()
            assert body["status"] == "not ready"
            assert "not connected to NATS" in body["checks"]["nats"]
            assert "relay" in body["checks"]["nats"]
            assert body["checks"]["database"] == "ok"
            assert api.get("/health").status_code == 200

            server.start()
            eventually(lambda: ready(api))
    finally:
        server.stop()


def test_json_log_lines_carry_the_request_id(nats, tmp_path):
    service = Service(
        "registry", nats.url, tmp_path,
        {
            "REGISTRY_LOG_FORMAT": "json",
            "REGISTRY_RELAY_ENABLED": "false",
            "REGISTRY_HIRINGS_ENABLED": "false",
        },
    ).start()
    try:
        request_id = f"test-{uuid4().hex}"
        response = httpx.get(
            f"{service.url}/structures/{uuid4()}", headers={"X-Request-ID": request_id, **bearer("staff")}
        )
        assert response.status_code == 404
        assert response.headers["X-Request-ID"] == request_id
        generated = httpx.get(f"{service.url}/health").headers["X-Request-ID"]
        assert generated and generated != request_id
    finally:
        service.stop()
    lines = [json.loads(line) for line in service.log.read_text().splitlines()]  # JSON, every one
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    refused = [line for line in lines if "refused" in line["message"]]
    assert [line["request_id"] for line in refused] == [request_id]


def test_request_durations_are_by_route_template_and_status_and_the_build_is_described(nats, tmp_path):
    settings = RegistrySettings(
        sqlite_path=tmp_path / "registry.sqlite", nats_url=nats.url, relay_enabled=False, hirings_enabled=False
    )
    with (
        ServedApp(registry_app(settings)) as served,
        httpx.Client(base_url=served.url, headers=bearer("staff")) as api,
    ):
        missing = uuid4()
        assert api.get(f"/peer-workers/{missing}").status_code == 404
        samples = metrics(api)
    route = "/peer-workers/{peer_worker_id:record_id}"  # the template, its convertor named
    labels = frozenset({"method": "GET", "route": route, "status": "404"}.items())
    assert samples[("peerwork_http_request_duration_seconds_count", labels)] == 1
    assert not [key for key in samples if str(missing) in str(key)]  # no id in any label
    ((name, build), value), = [(key, value) for key, value in samples.items() if key[0] == "peerwork_build_info"]
    assert value == 1 and dict(build)["version"] == "0.1.0" and dict(build)["python"].startswith("3.")
    assert dict(build)["commit"] == "unknown"  # no PEERWORK_COMMIT here


def test_an_access_log_line_per_request_in_json_without_a_token_or_query_values(nats, tmp_path):
    service = Service(
        "registry", nats.url, tmp_path,
        {"REGISTRY_LOG_FORMAT": "json", "REGISTRY_RELAY_ENABLED": "false", "REGISTRY_HIRINGS_ENABLED": "false"},
    ).start()
    headers = {"X-Request-ID": f"test-{uuid4().hex}", **bearer("staff")}
    try:
        response = httpx.get(f"{service.url}/structures", params={"name": "Josiane Secret"}, headers=headers)
        assert response.status_code == 200
        assert response.headers["X-Request-ID"] == headers["X-Request-ID"]
        made = httpx.get(f"{service.url}/health").headers["X-Request-ID"]
    finally:
        service.stop()
    text = service.log.read_text()
    token = headers["Authorization"].removeprefix("Bearer ")
    assert token not in text and "Josiane" not in text and "Secret" not in text
    access = [json.loads(line) for line in text.splitlines() if '"peerwork.access"' in line]
    assert [(line["method"], line["route"], line["path"], line["status"], line["request_id"]) for line in access] == [
        ("GET", "/structures", "/structures", 200, headers["X-Request-ID"]),
        ("GET", "/health", "/health", 200, made),
    ]
    assert all(isinstance(line["duration_ms"], float) and line["level"] == "INFO" for line in access)


def test_no_access_log_when_turned_off(nats, tmp_path):
    service = Service(
        "registry", nats.url, tmp_path,
        {"REGISTRY_ACCESS_LOG": "false", "REGISTRY_RELAY_ENABLED": "false", "REGISTRY_HIRINGS_ENABLED": "false"},
    ).start()
    try:
        assert httpx.get(f"{service.url}/health").status_code == 200
    finally:
        service.stop()
    assert "/health" not in service.log.read_text()
