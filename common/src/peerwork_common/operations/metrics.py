"""A service's Prometheus metrics, in a registry of its own (tests run several services
in one process).

The relay and the application only add to plain counts, once a batch or a save; the lags
and positions are read when Prometheus scrapes, and only then."""

import asyncio
import logging
import os
import platform
from collections.abc import Callable, Iterator
from importlib.metadata import PackageNotFoundError, version
from typing import TypeVar

from nats.errors import Error as NatsError
from prometheus_client import CollectorRegistry, Counter, Histogram, Info, ProcessCollector, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from peerwork_common.eventstore.application import WriteApplication
from peerwork_common.messaging.consumer import DurableConsumer
from peerwork_common.messaging.relay import Relay

log = logging.getLogger(__name__)

T = TypeVar("T")

# Set where the image is built (deploy/Dockerfile's build argument): unknown otherwise.
COMMIT_VARIABLE = "PEERWORK_COMMIT"


class Metrics(Collector):
    """The service's registry: the commands counted as answered, and what the parts it is
    told to watch (its event store, relay and consumers) show at scrape time."""

    def __init__(self, lag_timeout: float = 1.0) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # memory, CPU, open files
        self.commands = Counter(
            "peerwork_commands",
            "Write requests answered, by route template and outcome: "
            "handled (2xx, 3xx), rejected (4xx), failed (5xx)",
            ["method", "route", "outcome"],
            registry=self.registry,
        )
        self.request_durations = Histogram(
            "peerwork_http_request_duration_seconds",
            "Requests answered (probes and scrapes included), by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self._build = Info("peerwork_build", "What is running: version, commit, Python", registry=self.registry)
        self._lag_timeout = lag_timeout
        self._store: WriteApplication | None = None
        self._relay: Relay | None = None
        self._consumers: dict[str, DurableConsumer] = {}
        self._consumer_lags: dict[str, int] = {}
        self.registry.register(self)

    def describe_build(self, service: str) -> None:
        """``peerwork_build_info``: the service's version, its commit if known, the Python."""
        try:
            service_version = version(f"peerwork-{service}")
        except PackageNotFoundError:
            service_version = "unknown"
        commit = os.environ.get(COMMIT_VARIABLE) or "unknown"
        self._build.info({"version": service_version, "commit": commit, "python": platform.python_version()})

    def watch_store(self, app: WriteApplication) -> None:
        self._store = app

    def watch_relay(self, relay: Relay) -> None:
        """The relay of the store watched."""
        self._relay = relay

    def watch_consumer(self, consumer: DurableConsumer) -> None:
        self._consumers[consumer.name] = consumer

    async def exposition(self) -> bytes:
        """Every metric in Prometheus' text format, the consumers' lags asked of JetStream now."""
        lags = {name: await self._lag(consumer) for name, consumer in self._consumers.items()}
        self._consumer_lags = {name: lag for name, lag in lags.items() if lag is not None}
        # In a thread: reading the positions queries the databases.
        return await asyncio.to_thread(generate_latest, self.registry)

    async def _lag(self, consumer: DurableConsumer) -> int | None:
        if not (consumer.running and consumer.connected):
            return None  # standing by, or NATS away: no figure rather than a stale one
        try:
            return await consumer.pending(self._lag_timeout)
        except (TimeoutError, NatsError) as error:
            log.info("consumer %s: no lag to report (%r)", consumer.name, error)
            return None

    def collect(self) -> Iterator[Metric]:
        if self._store is not None:
            yield CounterMetricFamily(
                "peerwork_events_stored", "Events this process saved in its event store",
                value=self._store.events_stored,
            )
            if self._store.personal_fields:
                erasures = self._store.erasures
                if (pending := _read(lambda: len(erasures.pending()))) is not None:
                    yield GaugeMetricFamily(
                        "peerwork_erasures_pending", "Erasures done, with copies of keys still on "
                        "disk (SQLite's log held by a reader): cleared as soon as it lets go",
                        value=pending,
                    )
        if self._relay is not None:
            yield from self._relay_metrics(self._relay)
        if self._consumers:
            yield from self._consumer_metrics()

    def _relay_metrics(self, relay: Relay) -> Iterator[Metric]:
        yield CounterMetricFamily(
            "peerwork_events_published", "Events this process's relay put on the stream",
            value=relay.published,
        )
        if relay.running and self._store is not None:  # a replica standing by has no position
            recorder = self._store.recorder
            if (stored := _read(lambda: recorder.max_notification_id() or 0)) is not None:
                yield GaugeMetricFamily(
                    "peerwork_relay_lag", "Events stored and not yet on the stream",
                    value=stored - relay.position,
                )

    def _consumer_metrics(self) -> Iterator[Metric]:
        position = GaugeMetricFamily(
            "peerwork_consumer_position", "Stream sequence of the last message the consumer's "
            "projection applied", labels=["consumer"],
        )
        lag = GaugeMetricFamily(
            "peerwork_consumer_lag", "Messages for the consumer on the stream not yet applied, "
            "as JetStream counted them at scrape time", labels=["consumer"],
        )
        for name, consumer in self._consumers.items():
            if (applied := _read(lambda: consumer.position)) is not None:
                position.add_metric([name], applied)
            if name in self._consumer_lags:
                lag.add_metric([name], self._consumer_lags[name])
        yield position
        yield lag


def _read(query: Callable[[], T]) -> T | None:
    """``query``'s answer, or None if the database does not give one (readiness says why)."""
    try:
        return query()
    except Exception as error:  # whatever the driver raises
        log.info("metrics: a figure could not be read (%r)", error)
        return None
