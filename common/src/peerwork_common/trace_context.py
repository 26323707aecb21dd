"""The W3C trace context (``traceparent``, ``tracestate``) a stored event keeps in its
provenance and a message carries in its headers, so that one trace runs from a request to
the views it changed (``operations.tracing`` makes the spans). Only this crosses processes,
never baggage: nothing else goes on the bus."""

from collections.abc import Mapping

from opentelemetry import context, trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()


def current_context() -> dict[str, str]:
    """The W3C trace context of the span under way (``traceparent``, ``tracestate`` if
    any); empty outside any recording span."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def carrier_of(span: trace.Span | None) -> dict[str, str]:
    """The W3C trace context of ``span``, whether it is current or not; empty for None."""
    carrier: dict[str, str] = {}
    if span is not None:
        _PROPAGATOR.inject(carrier, context=trace.set_span_in_context(span))
    return carrier


def context_of(carrier: Mapping[str, str]) -> context.Context:
    """The trace context ``carrier`` (headers, or a stored provenance) holds, as a parent."""
    return _PROPAGATOR.extract(carrier)
