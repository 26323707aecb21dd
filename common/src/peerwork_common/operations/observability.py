"""What a service tells its operators: readiness (``/ready``), Prometheus metrics
(``/metrics``), and an id for each request that its log lines carry. The composition root
says what the service runs: its database, its event store, its relay, its consumers."""

import re
from collections.abc import Callable

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from peerwork_common.eventstore.application import WriteApplication
from peerwork_common.http.requests_noted import ObserveRequests
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.relay import Relay
from peerwork_common.operations import readiness
from peerwork_common.operations.metrics import Metrics
from peerwork_common.settings import ServiceSettings
from peerwork_common.workers.worker import Worker

# An id from a caller is kept if it is fit for a log line; else one is made.
_REQUEST_ID = re.compile(r"[\w.:/+=-]{1,128}")


class Observability:
    def __init__(self, database: Callable[[], object]) -> None:
        """``database``: a query that answers when the service's database does."""
        self.metrics = Metrics()
        self.readiness = readiness.Readiness()
        self._workers: dict[str, Worker] = {}  # by the name the readiness report gives them
        self.readiness.add("database", readiness.database(database))
        self.readiness.add("nats", readiness.nats(self._workers))

    @classmethod
    def of_event_store(cls, app: WriteApplication) -> "Observability":
        """A write service's: its database is its event store, whose saves it counts."""
        observability = cls(database=app.recorder.max_notification_id)
        observability.metrics.watch_store(app)
        return observability

    def watch_relay(self, relay: Relay) -> None:
        """The relay of the event store watched; from its start (a restart replaces it)."""
        self._workers["relay"] = relay
        self.readiness.add("relay", readiness.relay(relay))
        self.metrics.watch_relay(relay)

    def watch_consumer(self, consumer: DurableConsumer) -> None:
        """A consumer, from its start."""
        name = f"consumer {consumer.name}"
        self._workers[name] = consumer
        self.readiness.add(name, readiness.consumer(consumer))
        self.metrics.watch_consumer(consumer)

    def install(self, app: FastAPI, service: str, settings: ServiceSettings) -> None:
        """Adds the routes, and the request ids, durations, command counts and access log
        lines (as ``settings`` say), to ``app``, the ``service``'s."""
        self.metrics.describe_build(service)
        # Added first, so within the request id's middleware: its lines carry the id.
        app.add_middleware(
            ObserveRequests,
            durations=self.metrics.request_durations,
            commands=self.metrics.commands,
            log_level=settings.access_log_level if settings.access_log else None,
        )
        app.add_middleware(
            CorrelationIdMiddleware,
            header_name="X-Request-ID",
            validator=lambda value: _REQUEST_ID.fullmatch(value) is not None,
        )

        @app.get("/ready", tags=["operations"], responses={503: {"description": "Not ready"}})
        async def ready() -> JSONResponse:
            """Whether the service can do its work: database, NATS, relay, consumers; a 503
            names each check that fails, and why."""
            results = await self.readiness.results()
            failing = any(result != "ok" for result in results.values())
            body = {"status": "not ready" if failing else "ready", "checks": results}
            return JSONResponse(body, status_code=503 if failing else 200)

        @app.get("/metrics", tags=["operations"], response_class=Response)
        async def metrics() -> Response:
            """Prometheus metrics."""
            return Response(await self.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
