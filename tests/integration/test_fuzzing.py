"""Schemathesis against each service's own OpenAPI document, over real HTTP: the apps come
from the services' composition roots, on real SQLite and a real nats-server. Every answer
must be a 2xx or a 4xx the document declares, with the body it declares; never a 5xx."""

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_common.nats_server import NatsServer, free_port
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_reporting.bootstrap import bootstrap as reporting_app
from peerwork_reporting.config import Settings as ReportingSettings

from tests.helpers import ServedApp, bearer

# Enough to reach each route's refusals, few enough for the whole module to stay fast.
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# "A request the document calls valid is accepted": the document cannot say that an
# effective date must lie between 2000-01-01 and today, nor that a SIRET's check digit must hold, and
# those are refused with a 422 on purpose. That 422 is declared, with its body, and the
# other checks hold it to that.
NOT_CHECKED = schemathesis.checks.positive_data_acceptance


@pytest.fixture(scope="module")
def nats(tmp_path_factory) -> Iterator[NatsServer]:
    # Its own server: the events the fuzzing makes stay out of the other tests' stream.
    server = NatsServer(tmp_path_factory.mktemp("nats"), free_port()).start()
    yield server
    server.stop()


def _schema(app) -> Iterator[schemathesis.BaseSchema]:  # noqa: ANN001
    with ServedApp(app) as served:
        yield schemathesis.openapi.from_url(f"{served.url}/openapi.json")


@pytest.fixture(scope="module")
def registry(nats, tmp_path_factory):
    data = tmp_path_factory.mktemp("registry")
    settings_ = RegistrySettings(sqlite_path=data / "r.sqlite", nats_url=nats.url)
    yield from _schema(registry_app(settings_))


@pytest.fixture(scope="module")
def accompaniment(nats, tmp_path_factory):
    data = tmp_path_factory.mktemp("accompaniment")
    settings_ = AccompanimentSettings(sqlite_path=data / "a.sqlite", nats_url=nats.url)
    yield from _schema(accompaniment_app(settings_))


@pytest.fixture(scope="module")
def reporting(nats, tmp_path_factory):
    data = tmp_path_factory.mktemp("reporting")
    settings_ = ReportingSettings(
        store_path=data / "s.sqlite",
        nats_url=nats.url,
        public_requests_per_minute=0,  # the fuzzing's pace is no client's: not a 429 in its way
    )
    yield from _schema(reporting_app(settings_))


@pytest.mark.parametrize(
    ("service", "headers"),
    [
        # As the staff who use them; refused without a token (tests/integration/test_access.py).
        ("registry", bearer("staff")),
        ("accompaniment", bearer("staff")),
        ("reporting", {}),
        # Exact figures and the rebuild: what only admins reach.
        ("reporting", bearer("admin")),
    ],
    ids=["registry as staff", "accompaniment as staff", "reporting", "reporting as admin"],
)
def test_no_route_answers_outside_its_document(service, headers, request, subtests):
    # Each operation's cases drawn here rather than by schemathesis' pytest plugin: the
    # plugin's loader for schemas made by fixtures (from_fixture) fails on pytest 9.2
    # (it sets Node._nodeid, which pytest no longer has).
    schema = request.getfixturevalue(service)
    for result in schema.get_all_operations():
        operation = result.ok()
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @EXAMPLES
        @given(case=cases)
        def answers_as_documented(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, excluded_checks=[NOT_CHECKED])

        with subtests.test(operation=operation.label):
            answers_as_documented()


@pytest.mark.parametrize(
    ("service", "method", "path", "body"),
    [
        ("reporting", "GET", "/stats/national?as_of=0", None),
        ("registry", "POST", "/peer-workers", {"display_name": "A", "departement": "38",
                                                "domains": ["addiction"], "registered_on": 0}),
        ("accompaniment", "POST", "/training-sessions", {
            "title": "T", "kind": "peer_worker_training", "audience": "peer_workers",
            "departement": "38", "starts_on": "86400", "duration_hours": 7, "capacity": 10}),
    ],
)
def test_a_number_is_not_taken_for_a_day(service, method, path, body, request):
    # What the fuzzing found: a number of seconds since 1970 that falls on a midnight was
    # taken for that day, as_of=0 for 1 January 1970.
    schema = request.getfixturevalue(service)
    response = httpx.request(
        method, schema.get_base_url().rstrip("/") + path, json=body, headers=bearer("staff")
    )
    assert response.status_code == 422, response.text
    assert "YYYY-MM-DD" in response.json()["detail"][0]["msg"]
