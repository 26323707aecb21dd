"""Tracing with OpenTelemetry: a request, the events it stored, their publication by the
relay and their application by each consumer, in one trace.

Off unless an OTLP endpoint is configured (the service's ``OTLP_ENDPOINT`` setting, or the
standard ``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``): then
no span is made, no header added, nothing decoded twice. Only the W3C trace context
(``traceparent``, ``tracestate``) crosses processes, never baggage: nothing else goes on
the bus (``trace_context``).
"""

import os

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Tracer

from peerwork_common.settings import ServiceSettings

_STANDARD_ENDPOINTS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# Probes and scrapes every few seconds: spans of no interest.
_NOT_TRACED = "/health,/ready,/metrics"


class Tracing:
    """A service's tracer provider, or none: tracing off."""

    def __init__(self, provider: TracerProvider | None, owned: bool = False) -> None:
        self.provider = provider
        self._owned = owned  # made here, so shut down here (an injected one is its owner's)

    @classmethod
    def of(cls, settings: ServiceSettings, service: str, provider: TracerProvider | None = None) -> "Tracing":
        """``provider`` if given (tests: an in-memory exporter); else one exporting over
        OTLP/HTTP if an endpoint is configured; else none."""
        if provider is not None:
            return cls(provider)
        if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
            return cls(None)
        if not settings.otlp_endpoint and not any(os.environ.get(name) for name in _STANDARD_ENDPOINTS):
            return cls(None)
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = f"{settings.otlp_endpoint.rstrip('/')}/v1/traces" if settings.otlp_endpoint else None
        # Sampler, batch sizes and headers: the standard OTEL_* variables, read by the SDK.
        made = TracerProvider(resource=Resource.create({"service.name": service}))
        made.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        return cls(made, owned=True)

    def tracer(self, name: str) -> Tracer | None:
        """The tracer the relay and consumers make spans with; None when tracing is off."""
        return None if self.provider is None else self.provider.get_tracer(name)

    def instrument(self, app: FastAPI) -> None:
        """A server span for each request ``app`` answers (not for the probes)."""
        if self.provider is not None:
            # One span a request: not one more for each chunk of body received or sent.
            FastAPIInstrumentor.instrument_app(
                app, tracer_provider=self.provider, excluded_urls=_NOT_TRACED, exclude_spans=["receive", "send"]
            )

    def shutdown(self) -> None:
        """Exports what is left (a provider made here)."""
        if self._owned and self.provider is not None:
            self.provider.shutdown()
