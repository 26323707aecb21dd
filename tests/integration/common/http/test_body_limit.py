"""The ceiling on request bodies, on every service, through real HTTP: a body over it is
refused with a 413 that names the limit, stores nothing, and is not read to its end."""

import json
import socket

import httpx
import pytest

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_reporting.bootstrap import bootstrap as reporting_app
from peerwork_reporting.config import Settings as ReportingSettings
from tests.helpers import ServedApp, bearer

LIMIT = 1024
STRUCTURE = {"name": "Le Relais", "departement": "38", "sector": "shelter_housing"}


def stored(app) -> int:  # noqa: ANN001
    return app.state.registry.recorder.max_notification_id() or 0


def padded(body: dict, size: int) -> bytes:
    """``body`` as JSON of exactly ``size`` bytes (JSON allows the trailing blanks)."""
    text = json.dumps(body).encode()
    return text + b" " * (size - len(text))


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    data = tmp_path_factory.mktemp("registry")
    settings = RegistrySettings(
        sqlite_path=data / "r.sqlite",
        relay_enabled=False,
        hirings_enabled=False,
        max_body_bytes=LIMIT,
    )
    app = registry_app(settings)
    with ServedApp(app) as served:
        yield app, served.url


STAFF = bearer("staff")


def raw_exchange(url: str, head: str, body: bytes) -> str:
    """Sends ``head`` and ``body`` on a socket, and no more, then reads what comes back: a
    server that waited for the rest of the body would answer nothing before the timeout."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(head.encode() + body)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.decode()


def test_a_body_up_to_the_limit_is_taken_and_one_byte_more_is_refused(registry):
    app, url = registry
    with httpx.Client(base_url=url, headers=bearer("staff")) as api:
        headers = {"content-type": "application/json"}
        before = stored(app)
        refused = api.post("/structures", content=padded(STRUCTURE, LIMIT + 1), headers=headers)
        assert refused.status_code == 413
        assert f"larger than the {LIMIT} bytes" in refused.json()["detail"]
        assert stored(app) == before

        taken = api.post("/structures", content=padded(STRUCTURE, LIMIT), headers=headers)
        assert taken.status_code == 201, taken.text


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(registry):
    app, url = registry
    before = stored(app)
    head = (
        "POST /structures HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        "Content-Length: 10000000\r\n\r\n"
    )
    answer = raw_exchange(url, head, b'{"name": "')  # of the 10 MB announced, 10 bytes
    assert answer.startswith("HTTP/1.1 413"), answer
    assert f"larger than the {LIMIT} bytes" in answer
    assert stored(app) == before


def test_a_chunked_body_is_refused_as_soon_as_it_goes_over_the_limit(registry):
    app, url = registry
    before = stored(app)
    head = (
        "POST /structures HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        f"Authorization: {STAFF['Authorization']}\r\n"  # else refused before the body is read
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 512
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(3))
    answer = raw_exchange(url, head, chunks)  # 1536 bytes and no last chunk: never ends
    assert answer.startswith("HTTP/1.1 413"), answer
    assert f"larger than the {LIMIT} bytes" in answer
    assert stored(app) == before


def test_a_chunked_body_under_the_limit_is_taken(registry):
    _, url = registry
    body = padded({**STRUCTURE, "name": "Le Relais en deux morceaux"}, LIMIT - 100)
    with httpx.Client(base_url=url, headers=bearer("staff")) as api:
        # A generator has no length: httpx sends it chunked.
        response = api.post(
            "/structures",
            content=iter([body[:300], body[300:]]),
            headers={"content-type": "application/json"},
        )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("service", ["accompaniment", "reporting"])
def test_every_service_refuses_a_body_over_its_limit(service, tmp_path):
    if service == "accompaniment":
        settings = AccompanimentSettings(
            sqlite_path=tmp_path / "a.sqlite", relay_enabled=False, max_body_bytes=LIMIT
        )
        app, method, path = accompaniment_app(settings), "POST", "/accompaniments"
    else:
        settings = ReportingSettings(
            store_path=tmp_path / "s.sqlite", consumer_enabled=False, max_body_bytes=LIMIT
        )
        # A route that takes no body: one over the limit is refused all the same.
        app, method, path = reporting_app(settings), "GET", "/stats/national"
    with ServedApp(app) as served, httpx.Client(base_url=served.url) as api:
        response = api.request(method, path, content=b" " * (LIMIT + 1))
    assert response.status_code == 413
    assert f"larger than the {LIMIT} bytes" in response.json()["detail"]


def test_the_limit_defaults_to_64_kib_and_is_read_from_each_service_environment(monkeypatch):
    assert RegistrySettings().max_body_bytes == 64 * 1024
    monkeypatch.setenv("ACCOMPANIMENT_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("REPORTING_MAX_BODY_BYTES", "4096")
    assert AccompanimentSettings().max_body_bytes == 2048
    assert ReportingSettings().max_body_bytes == 4096
