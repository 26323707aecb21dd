"""Who may call which route, for every route of every service: the routes are read from each
app's OpenAPI document, so that a new route cannot escape these tests. Without a token, or with
one that cannot be trusted, 401 (before anything is looked up); with the wrong role, 403."""

import re
import tempfile
from pathlib import Path
from uuid import NAMESPACE_URL, uuid4, uuid5

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_reporting.bootstrap import bootstrap as reporting_app
from peerwork_reporting.config import Settings as ReportingSettings
from peerwork_reporting.storage.rebuild import RebuildStatus
from tests.helpers import bearer

# Open to anyone: liveness, readiness, metrics (see deploy/README.md) and the documents.
OPEN = {"/health", "/ready", "/metrics", "/asyncapi.json", "/asyncapi.html"}
# What fills a route's path parameters: ids that exist nowhere, real places and years.
PARAMETERS = {"code": "38", "year": "2022", "name": "regions"}
EXACT: set[tuple[str, str]] = set()  # the routes that take exact=true

UNTRUSTED = {
    "not a JWT": {"Authorization": "Bearer not-a-token"},
    "another secret": bearer("admin", secret="another-secret-" * 3),
    "expired": bearer("admin", hours=-1),
    "another audience": bearer("admin", audience="elsewhere"),
    "another issuer": bearer("admin", issuer="elsewhere"),
}


class BusyRebuilder:
    """A rebuild already running: the operations answer without reaching NATS."""

    running = True
    status = RebuildStatus()


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> dict[str, FastAPI]:
    data = tmp_path_factory.mktemp("access")
    reporting = reporting_app(
        ReportingSettings(store_path=data / "s.sqlite", consumer_enabled=False, public_requests_per_minute=0)
    )
    reporting.state.rebuilder = BusyRebuilder()
    return {
        "registry": registry_app(
            RegistrySettings(sqlite_path=data / "r.sqlite", relay_enabled=False, hirings_enabled=False)
        ),
        "accompaniment": accompaniment_app(
            AccompanimentSettings(sqlite_path=data / "a.sqlite", relay_enabled=False)
        ),
        "reporting": reporting,
    }


def table(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every operation of ``app``'s OpenAPI document but the open ones, its
    parameters filled in. The document, not ``app.routes``: FastAPI keeps included routers'
    routes out of that list."""
    found = []
    for template, operations in app.openapi()["paths"].items():
        if template in OPEN:
            continue
        # Ids no record has, the same at every collection: a test id names the same check in every run.
        path = re.sub(
            r"\{(\w+)\}", lambda name: PARAMETERS.get(name[1], str(uuid5(NAMESPACE_URL, f"{template}#{name[1]}"))), template
        )
        found.extend((method.upper(), path) for method in operations)
        EXACT.update(
            (method.upper(), path) for method, operation in operations.items()
            if any(parameter["name"] == "exact" for parameter in operation.get("parameters", []))
        )
    return found


def _tables() -> dict[str, list[tuple[str, str]]]:
    # Read at collection, to parametrize the tests, from apps built only for their tables.
    data = Path(tempfile.mkdtemp(prefix="peerwork-access-"))
    return {
        "registry": table(registry_app(RegistrySettings(sqlite_path=data / "r.sqlite"))),
        "accompaniment": table(accompaniment_app(AccompanimentSettings(sqlite_path=data / "a.sqlite"))),
        "reporting": table(reporting_app(ReportingSettings(store_path=data / "s.sqlite"))),
    }


TABLES = _tables()


def routes(service: str) -> list[tuple[str, str, str]]:
    return [(service, method, path) for method, path in TABLES[service]]


def for_admins(route: tuple[str, str, str]) -> bool:
    """Operations, the audit of who read and did what, erasure, and imports."""
    return route[2].startswith(("/operations", "/audit", "/imports")) or route[1] == "DELETE"


EVERY_ROUTE = routes("registry") + routes("accompaniment") + routes("reporting")
WRITE_SERVICES = [route for route in routes("registry") + routes("accompaniment") if not for_admins(route)]
PUBLIC_FIGURES = [route for route in routes("reporting") if not for_admins(route)]
OPERATIONS = [route for route in EVERY_ROUTE if for_admins(route)]


def call(apps: dict[str, FastAPI], route: tuple[str, str, str], headers: dict[str, str] | None = None,
         **params: str) -> int:
    service, method, path = route
    client = TestClient(apps[service], raise_server_exceptions=False)
    response = client.request(method, path, headers=headers or {}, params=params)
    assert response.status_code < 500, response.text
    if response.status_code == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "Bearer <token>" in response.json()["detail"]
    return response.status_code


def only_for(apps, route, allowed: list[tuple[str, ...]], refused: list[tuple[str, ...]]) -> None:  # noqa: ANN001
    """``route`` answers 401 without a token or with an untrusted one, 403 to tokens with
    the ``refused`` roles, and goes through with the ``allowed`` ones."""
    assert call(apps, route) == 401
    for untrusted in UNTRUSTED.values():
        assert call(apps, route, untrusted) == 401
    for roles in refused:
        assert call(apps, route, bearer(*roles)) == 403
    for roles in allowed:
        assert call(apps, route, bearer(*roles)) not in (401, 403)


def test_every_service_has_routes_to_check():
    assert all(TABLES.values()) and OPERATIONS and PUBLIC_FIGURES and EXACT
    assert {service for service, _, path in OPERATIONS if path.startswith("/audit")} == {"registry", "accompaniment"}
    assert ("registry", "DELETE") in {route[:2] for route in OPERATIONS}


@pytest.mark.parametrize("route", WRITE_SERVICES, ids=" ".join)
def test_registry_and_accompaniment_are_for_staff_and_admins(apps, route):
    # () is a token without roles.
    only_for(apps, route, allowed=[("staff",), ("admin",)], refused=[("analyst",), ()])


@pytest.mark.parametrize("route", PUBLIC_FIGURES, ids=" ".join)
def test_public_figures_are_for_anyone_and_exact_ones_for_analysts_and_admins(apps, route):
    for headers in (None, bearer("staff"), bearer("analyst"), bearer("admin")):
        assert call(apps, route, headers) not in (401, 403)
    for untrusted in UNTRUSTED.values():  # a token sent is checked, even where none is needed
        assert call(apps, route, untrusted) == 401
    if route[1:] in EXACT:
        assert call(apps, route, exact="true") == 401
        assert call(apps, route, bearer("staff"), exact="true") == 403
        assert call(apps, route, bearer("analyst"), exact="true") not in (401, 403)
        assert call(apps, route, bearer("admin"), exact="true") not in (401, 403)


@pytest.mark.parametrize("route", OPERATIONS, ids=" ".join)
def test_operations_the_audit_and_erasure_are_for_admins(apps, route):
    only_for(apps, route, allowed=[("admin",)], refused=[("staff",), ("analyst",)])


@pytest.mark.parametrize("service", ["registry", "accompaniment", "reporting"])
def test_health_readiness_metrics_and_documents_need_no_token(apps, service):
    client = TestClient(apps[service], raise_server_exceptions=False)
    for path in ["/health", "/metrics", "/openapi.json", "/docs"]:
        assert client.get(path).status_code == 200, path


def test_a_refusal_does_not_tell_whether_the_record_exists(apps):
    client = TestClient(apps["registry"])
    created = client.post("/structures", json={"name": "Le Relais", "departement": "38", "sector": "addiction"},
                          headers=bearer("staff"))
    assert created.status_code == 201
    known, unknown = created.json()["id"], str(uuid4())
    for headers in ({}, bearer("analyst")):
        answers = [client.get(f"/structures/{id_}", headers=headers) for id_ in (known, unknown)]
        assert answers[0].status_code == answers[1].status_code in (401, 403)
        assert answers[0].json() == answers[1].json()


def test_the_messages_say_what_to_do(apps):
    client = TestClient(apps["reporting"])
    refused = client.post("/operations/rebuild", headers=bearer("analyst", subject="bob"))
    assert refused.json()["detail"] == (
        "this route needs the role admin; the token of 'bob' has roles: analyst"
    )
    expired = client.get("/stats/national", headers=bearer("admin", hours=-1))
    assert expired.json()["detail"].startswith("the token has expired: ask for a new one")


def test_protected_routes_declare_their_401_and_403(apps):
    for service, app in apps.items():
        for path, operations in app.openapi()["paths"].items():
            if path in OPEN:
                continue
            for method, operation in operations.items():
                assert {"401", "403"} <= set(operation["responses"]), (service, method, path)


@pytest.mark.parametrize("service", ["registry", "accompaniment"])
def test_a_malformed_body_without_a_token_gets_401_not_422(apps, service):
    # The token is checked before the body is read: nothing is said about what a route takes.
    client = TestClient(apps[service], raise_server_exceptions=False)
    for _, method, path in routes(service):
        if method == "POST":
            response = client.post(path, content=b"{not json", headers={"content-type": "application/json"})
            assert response.status_code == 401, (path, response.text)
