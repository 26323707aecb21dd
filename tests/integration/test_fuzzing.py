"""Schemathesis against each service's own OpenAPI document, over real HTTP: the apps come
from the services' composition roots, on real SQLite and a real nats-server. Every answer
must be a 2xx or a 4xx the document declares, with the body it declares; never a 5xx."""

import re
from collections import Counter
from collections.abc import Iterator
from uuid import UUID, uuid4

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from peerwork_accompaniment.bootstrap import bootstrap as accompaniment_app
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_reporting.bootstrap import bootstrap as reporting_app
from peerwork_reporting.config import Settings as ReportingSettings
from tests.helpers import CONSENT_BODY, ServedApp, bearer, eventually

# A bound for a hung test only: drawing every route's cases took over the suite's default
# 120 s on a loaded machine (load average 15 on two cores, seen).
pytestmark = pytest.mark.timeout(600)

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


# A body the document refuses may also be larger than the service takes (a list of peer
# workers over its maximum, drawn thousands long): the 413 every command declares.
REJECTIONS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]
REFUSALS = schemathesis.config.SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}}
)


# A key the document allows: drawn by the fuzzing, it would be the same few for every
# request, and a reused key is refused with a 422 before the route reads the body.
VALID_KEY = re.compile(r"[!-~]{1,255}")


# The document says a département is a string: what the fuzzing draws is never one of the
# 101 codes, and every creation would be refused for it.
DEPARTEMENTS = st.sampled_from(["01", "2A", "38", "69", "75", "976"])
REGIONS = st.sampled_from(["84", "11", "94", "06"])


# The document says a structure is a UUID: one the registry never registered is refused (a
# 422), so a valid body names one it did (filled in by the ``accompaniment`` fixture).
STRUCTURES: list[str] = []


def as_a_client_would(case: schemathesis.Case, data: st.DataObject) -> None:
    """A new ``Idempotency-Key`` for the case, unless the one drawn is malformed (a 400); in
    a valid body, a real département and a registered structure."""
    # A query parameter with an empty list is not sent at all (httpx leaves it out): a
    # negative case that is only that reaches the service as a valid request, and schemathesis
    # 4.32 still counts its 200 as negative data accepted (seen: ``{"": []}`` beside a valid
    # ``active_on``). Such a case tells nothing; it is drawn again.
    assume(not any(value == [] for value in (case.query or {}).values()))
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = str(uuid4())
    positive = case.meta is not None and case.meta.generation.mode is GenerationMode.POSITIVE
    if positive and isinstance(case.body, dict) and "departement" in case.body:
        case.body["departement"] = data.draw(DEPARTEMENTS)
    if positive and isinstance(case.body, dict) and "structure_id" in case.body and STRUCTURES:
        case.body["structure_id"] = data.draw(st.sampled_from(STRUCTURES))
    if positive and isinstance(case.body, dict) and "scope" in case.body:
        # A peer network's territory: the fields its scope names, a real région's code.
        case.body.pop("departement", None)
        case.body.pop("region", None)
        if case.body["scope"] == "departement":
            case.body["departement"] = data.draw(DEPARTEMENTS)
        elif case.body["scope"] == "region":
            case.body["region"] = data.draw(REGIONS)


def tokened(case: schemathesis.Case, headers: dict[str, str]) -> dict[str, str]:
    """The token the test runs with; but not for a case made invalid by leaving the token
    out: the token put back made it a valid request (its other change, a one-value array,
    sent as that value), and the 200 was taken for invalid data accepted."""
    negative = case.meta is not None and case.meta.generation.mode is GenerationMode.NEGATIVE
    if negative and "Authorization" not in (case.headers or {}):
        return {name: value for name, value in headers.items() if name != "Authorization"}
    return headers


@pytest.fixture(scope="module")
def nats(tmp_path_factory) -> Iterator[NatsServer]:
    # Its own server: the events the fuzzing makes stay out of the other tests' stream.
    server = NatsServer(tmp_path_factory.mktemp("nats"), free_port()).start()
    yield server
    server.stop()


def _schema(app) -> Iterator[schemathesis.BaseSchema]:  # noqa: ANN001
    with ServedApp(app) as served:
        yield schemathesis.openapi.from_url(f"{served.url}/openapi.json", config=REFUSALS)


@pytest.fixture(scope="module")
def registry(nats, tmp_path_factory):
    data = tmp_path_factory.mktemp("registry")
    settings_ = RegistrySettings(sqlite_path=data / "r.sqlite", nats_url=nats.url)
    yield from _schema(registry_app(settings_))


@pytest.fixture(scope="module")
def accompaniment(nats, registry, tmp_path_factory):
    data = tmp_path_factory.mktemp("accompaniment")
    settings_ = AccompanimentSettings(sqlite_path=data / "a.sqlite", nats_url=nats.url)
    app = accompaniment_app(settings_)
    for schema in _schema(app):
        # A structure registered in the registry, once it has crossed the bus.
        registered = httpx.post(
            registry.get_base_url().rstrip("/") + "/structures",
            json={"name": "Relais des pairs", "departement": "38", "sector": "addiction"},
            headers=bearer("staff"),
        )
        assert registered.status_code == 201, registered.text
        structure_id = registered.json()["id"]
        eventually(lambda: app.state.registry_records.get(UUID(structure_id)) is not None)
        STRUCTURES.append(structure_id)
        yield schema
        STRUCTURES.clear()


@pytest.fixture(scope="module")
def reporting(nats, registry, tmp_path_factory):
    data = tmp_path_factory.mktemp("reporting")
    settings_ = ReportingSettings(
        store_path=data / "s.sqlite",
        nats_url=nats.url,
        public_requests_per_minute=0,  # the fuzzing's pace is no client's: not a 429 in its way
        release_check_seconds=0.1,  # the releases made soon after the fact below
    )
    for schema in _schema(reporting_app(settings_)):
        # A fact counted, whatever ran before: /stats/series has years to go through.
        registered = httpx.post(
            registry.get_base_url().rstrip("/") + "/peer-workers",
            json={"legal_basis": CONSENT_BODY, "display_name": "A", "departement": "38", "domains": ["addiction"],
                  "registered_on": "2015-03-02"},
            headers=bearer("staff"),
        )
        assert registered.status_code == 201, registered.text
        series = schema.get_base_url().rstrip("/") + "/stats/series?exact=true"
        eventually(lambda: httpx.get(series, headers=bearer("admin")).json()["years"] != [])
        # And released: the public reads /stats/series (with no as_of) from the latest release.
        releases = schema.get_base_url().rstrip("/") + "/stats/releases"
        eventually(lambda: httpx.get(releases).json()["releases"] != [], timeout=60)
        yield schema


@pytest.mark.parametrize(
    ("service", "headers", "creations"),
    [
        # As the staff who use them; refused without a token (tests/integration/test_access.py).
        ("registry", bearer("staff"), {"POST /structures", "POST /peer-workers"}),
        ("accompaniment", bearer("staff"), {"POST /accompaniments", "POST /training-sessions", "POST /peer-networks"}),
        ("reporting", {}, set()),
        # Exact figures and the rebuild: what only admins reach.
        ("reporting", bearer("admin"), set()),
    ],
    ids=["registry as staff", "accompaniment as staff", "reporting", "reporting as admin"],
)
def test_no_route_answers_outside_its_document(service, headers, creations, request, subtests):
    # Each operation's cases drawn here rather than by schemathesis' pytest plugin: the
    # plugin's loader for schemas made by fixtures (from_fixture) fails on pytest 9.2
    # (it sets Node._nodeid, which pytest no longer has).
    schema = request.getfixturevalue(service)
    accepted: Counter[str] = Counter()
    reused: Counter[str] = Counter()  # refused for their key, not for what they ask
    for result in schema.get_all_operations():
        operation = result.ok()
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @EXAMPLES
        @given(case=cases, data=st.data())
        def answers_as_documented(case: schemathesis.Case, data: st.DataObject) -> None:
            as_a_client_would(case, data)
            response = case.call_and_validate(headers=tokened(case, headers), excluded_checks=[NOT_CHECKED])
            accepted[operation.label] += response.status_code < 300
            # Not ``response.text``: a report's PDF or workbook is binary.
            answer = response.content.decode("utf-8", errors="replace")
            reused[operation.label] += "already used for a different request" in answer

        with subtests.test(operation=operation.label):
            answers_as_documented()
    # Each creation took some of the bodies drawn for it: else the fuzzing never got past the
    # refusals to what the commands do.
    assert not +reused, f"requests refused for a key drawn twice: {dict(+reused)}"
    for label in creations:
        assert accepted[label] > 0, f"{label}: none of the requests drawn was accepted"
    assert service != "reporting" or accepted["GET /stats/series"] > 0


@pytest.mark.parametrize(
    ("service", "method", "path", "body"),
    [
        ("reporting", "GET", "/stats/national?as_of=0", None),
        ("registry", "POST", "/peer-workers", {"legal_basis": CONSENT_BODY, "display_name": "A", "departement": "38",
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
