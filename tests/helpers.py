"""Small helpers shared by the tests."""

import asyncio
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from uuid import uuid4

import httpx
import nats
import psycopg
from fastapi import FastAPI
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.bootstrap import bootstrap as bootstrap_accompaniment
from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_common.eventstore.application import WriteApplication
from peerwork_common.messaging.nats import servers_and_credentials
from peerwork_common.messaging.projections import APPLIED, Refusal
from peerwork_common.messaging.relay import Relay, ToContract
from peerwork_common.security.auth import Verifier
from peerwork_common.security.tokens import issue
from peerwork_contracts import streams
from peerwork_contracts.calendar import today
from peerwork_contracts.envelope import Event
from peerwork_registry.application import Registry
from peerwork_registry.bootstrap import bootstrap as bootstrap_registry
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_registry.domain.legal_basis import Basis, ConsentGiven, LegalBasis
from peerwork_reporting.bootstrap import bootstrap as bootstrap_reporting
from peerwork_reporting.config import Settings as ReportingSettings
from peerwork_reporting.storage.releases import ReleaseStore
from peerwork_reporting.storage.store import StatisticsStore

# The secret the services verify tokens with in the tests: tests/conftest.py puts it in the
# environment (every service's settings, and the processes the tests start, read it there);
# apps built without settings take ``VERIFIER``.
AUTH_SECRET = "tests-secret-" * 3
AUTH_ENV = {
    f"{prefix}AUTH_JWT_SECRET": AUTH_SECRET for prefix in ("", "REGISTRY_", "ACCOMPANIMENT_", "REPORTING_")
}
VERIFIER = Verifier(secret=AUTH_SECRET)


def token(*roles: str, subject: str = "tester", secret: str = AUTH_SECRET, **claims: object) -> str:
    """A bearer token holding ``roles``, signed with the tests' secret (``secret``)."""
    return issue(secret, subject, roles, **claims)


def bearer(*roles: str, **kwargs: object) -> dict[str, str]:
    """The header that sends a token holding ``roles``: ``bearer("staff")``."""
    return {"Authorization": f"Bearer {token(*roles, **kwargs)}"}


async def stream_messages(nats_url: str, subject: str = "peerwork.>") -> list:
    """Every message of the events stream on ``subject``, in stream order."""
    servers, user, password = servers_and_credentials(nats_url)
    connection = await nats.connect(servers, user=user, password=password, allow_reconnect=False)
    try:
        js = connection.jetstream()
        info = await js.stream_info(streams.EVENTS.name)
        if info.state.messages == 0:
            return []
        subscription = await js.pull_subscribe(
            subject,
            stream=streams.EVENTS.name,
            # Nothing to acknowledge: with acks, the server stops at 1,000 pending.
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=5),
        )
        messages = []
        while True:
            try:
                batch = await subscription.fetch(500, timeout=0.5)
            except (nats.errors.TimeoutError, asyncio.TimeoutError):
                return messages
            messages.extend(batch)
    finally:
        await connection.close()


def reset_streams(nats_url: str) -> None:
    """Deletes the events and dead-letter streams: a test (or module) gets its own stream
    history on the session's shared nats-server."""

    async def reset() -> None:
        connection = await nats.connect(nats_url)
        js = connection.jetstream()
        for name in (streams.EVENTS.name, streams.DEAD_LETTERS.name):
            try:
                await js.delete_stream(name)
            except nats.js.errors.NotFoundError:
                pass
        await connection.close()

    asyncio.run(reset())


def new_schema(postgres_env: dict[str, str]) -> str:
    """A new, empty schema on the tests' PostgreSQL server (``postgres_env``)."""
    schema = f"test_{uuid4().hex}"
    conninfo = f"host={postgres_env['POSTGRES_HOST']} port={postgres_env['POSTGRES_PORT']} user=postgres dbname=postgres"
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    return schema


def service_on_postgres(service: str, postgres_env: dict[str, str]) -> dict[str, str]:
    """The environment that keeps ``service``'s data in a new schema of its own."""
    prefix = service.upper()
    return {
        f"{prefix}_PERSISTENCE": "postgres",
        f"{prefix}_POSTGRES_HOST": postgres_env["POSTGRES_HOST"],
        f"{prefix}_POSTGRES_PORT": postgres_env["POSTGRES_PORT"],
        f"{prefix}_POSTGRES_DBNAME": "postgres",
        f"{prefix}_POSTGRES_SCHEMA": new_schema(postgres_env),
    }


def eventually(check: Callable[[], bool], timeout: float = 20.0, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


async def eventually_async(check, timeout: float = 20.0, interval: float = 0.05) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


def registry_app(registry: Registry, **settings: object) -> FastAPI:
    """The registry's HTTP app around ``registry``, made by its composition root with the
    tests' token verifier, and neither relay nor consumer unless ``settings`` ask."""
    defaults = {"relay_enabled": False, "hirings_enabled": False}
    return bootstrap_registry(RegistrySettings(**defaults | settings), registry=registry, verifier=VERIFIER)


def accompaniment_app(accompaniments: Accompaniments, **settings: object) -> FastAPI:
    """The accompaniment's HTTP app around ``accompaniments``, as ``registry_app``."""
    defaults = {"relay_enabled": False, "registry_records_enabled": False}
    return bootstrap_accompaniment(
        AccompanimentSettings(**defaults | settings), accompaniments=accompaniments, verifier=VERIFIER
    )


def reporting_app(
    store: StatisticsStore, releases: ReleaseStore, today: Callable[[], date] = today, **settings: object
) -> FastAPI:
    """Reporting's HTTP app over ``store`` and ``releases``, made by its composition root with
    the tests' token verifier: no consumer, no limit on public requests, and no release made
    but those the test makes (the app's own publisher would wait an hour before its first)."""
    defaults = {"consumer_enabled": False, "public_requests_per_minute": 0, "release_check_seconds": 3600}
    return bootstrap_reporting(
        ReportingSettings(**defaults | settings), store=store, releases=releases, verifier=VERIFIER, today=today
    )


def woken_relay(app: WriteApplication, to_contract: ToContract, nats_url: str) -> Relay:
    """A relay woken by each save of ``app``, as the composition roots wire it."""
    relay = Relay(app, to_contract, nats_url)
    app.on_saved(relay.wake)
    return relay


class ServedApp:
    """Serves an ASGI app with uvicorn on a free port, in a thread, for a real HTTP client."""

    def __init__(self, app) -> None:  # noqa: ANN001
        import uvicorn

        from peerwork_common.devtools.nats_server import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        )

    def __enter__(self) -> "ServedApp":
        import threading

        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        eventually(lambda: self._server.started, timeout=15)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)


class Recorded:
    """A projection that keeps what it was given, as a store would, position included.
    ``refuse_first``: it refuses the first event it is given, to have one parked."""

    def __init__(self, refuse_first: bool = False) -> None:
        self.events: list[Event] = []
        self.position = 0
        self._refuse_first = refuse_first

    def last_sequence(self) -> int:
        return self.position

    def apply(self, events: Sequence[Event], last_sequence: int, parked: Sequence[int] = ()) -> list[Refusal]:
        refusals = []
        if self._refuse_first and not self.events and events:
            refusals = [Refusal(events[0], "refused on purpose")]
        self.events.extend(events)
        self.position = last_sequence
        return refusals

    def replay(self, event: Event, sequence: int) -> str:
        self.events.append(event)
        return APPLIED


# In a parametrized body, a day resolved when the test runs (``on_days``): one computed at
# collection may have become today by then, in a run that crosses midnight in France.
TOMORROW = "tomorrow"


def on_days(body: dict) -> dict:
    tomorrow = (today() + timedelta(days=1)).isoformat()
    return {key: tomorrow if value == TOMORROW else value for key, value in body.items()}


def listed(api: httpx.Client, path: str, headers=None, **params) -> list[str]:
    """The ids of every page of ``path``, following the cursors."""
    ids, cursor = [], None
    while True:
        response = api.get(path, params={**params, **({"cursor": cursor} if cursor else {})}, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        ids += [item["id"] for item in page["items"]]
        if (cursor := page["next"]) is None:
            return ids


# The legal basis most records rest on (GDPR art. 9(2)(a)), as the API takes it and as the
# registry's application does.
CONSENT_BODY = {"basis": "explicit_consent", "consent_given_on": "2014-12-01", "consent_given_how": "signed_form"}
CONSENT = LegalBasis(Basis.EXPLICIT_CONSENT, date(2014, 12, 1), ConsentGiven.SIGNED_FORM)
