"""One registration as one trace, through the registry and reporting built by their
composition roots, real HTTP and a real nats-server: the request, the relay's publication
and reporting's application of the event."""

import asyncio
from uuid import UUID

import httpx
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from peerwork_registry.application import Registry
from peerwork_registry.bootstrap import bootstrap as registry_app
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_reporting.bootstrap import bootstrap as reporting_app
from peerwork_reporting.config import Settings as ReportingSettings
from tests.helpers import CONSENT_BODY, ServedApp, bearer, eventually, stream_messages

PEER_WORKER = {"legal_basis": CONSENT_BODY, "display_name": "Anne", "departement": "38", "domains": ["addiction"]}
REGISTERED = "peerwork.registry.peer_worker.registered.v1"


def test_a_registration_is_one_trace_from_the_request_to_the_view(server, tmp_path):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    registry = registry_app(
        RegistrySettings(sqlite_path=tmp_path / "registry.sqlite", nats_url=server.url, hirings_enabled=False),
        tracer_provider=provider,
    )
    reporting = reporting_app(
        ReportingSettings(store_path=tmp_path / "reporting.sqlite", nats_url=server.url), tracer_provider=provider
    )
    with (
        ServedApp(registry) as served_registry,
        ServedApp(reporting),
        httpx.Client(base_url=served_registry.url, headers=bearer("staff")) as api,
    ):
        response = api.post("/peer-workers", json=PEER_WORKER)
        assert response.status_code == 201, response.text
        peer_worker_id = response.json()["id"]

        def applied() -> list:
            return [span for span in exporter.get_finished_spans() if span.name == f"apply {REGISTERED}"]

        eventually(lambda: len(applied()) == 1)  # reporting's views updated

    spans = exporter.get_finished_spans()
    (request,) = [s for s in spans if s.kind == SpanKind.SERVER and s.attributes.get("http.route") == "/peer-workers"]
    assert not [s for s in spans if s.parent and s.parent.span_id == request.context.span_id and s.kind != SpanKind.PRODUCER]
    (publish,) = [s for s in spans if s.name == f"publish {REGISTERED}"]
    (apply,) = applied()
    (batch,) = [s for s in spans if s.name == "process reporting" and s.context.span_id == apply.links[0].context.span_id]
    # One trace: the request, its event's publication, the event applied to the views.
    assert publish.kind == SpanKind.PRODUCER and apply.kind == SpanKind.CONSUMER
    assert publish.context.trace_id == request.context.trace_id == apply.context.trace_id
    assert publish.parent.span_id == request.context.span_id
    assert apply.parent.span_id == publish.context.span_id
    assert batch.context.trace_id != request.context.trace_id  # a batch mixes many traces: linked

    # The message carries the publication's context, for any subscriber to continue it.
    (message,) = asyncio.run(stream_messages(server.url, REGISTERED))
    assert named(message.headers["traceparent"]) == ids(publish)

    # The stored event kept the request's context with its provenance, not in the aggregate.
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "registry.sqlite")})
    try:
        (registered, provenance), *_ = registry.history(UUID(peer_worker_id))
    finally:
        registry.close()
    assert named(provenance.traceparent) == ids(request)
    assert "traceparent" not in vars(registered) and "_provenance" not in vars(registered)



def named(traceparent: str) -> tuple[int, int]:
    """The trace and span ids a W3C ``traceparent`` names (its flags aside)."""
    _, trace_id, span_id, _ = traceparent.split("-")
    return int(trace_id, 16), int(span_id, 16)


def ids(span) -> tuple[int, int]:
    return span.context.trace_id, span.context.span_id
