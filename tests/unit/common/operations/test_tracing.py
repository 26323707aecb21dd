"""Tracing is off unless an OTLP endpoint is configured."""

from opentelemetry.sdk.trace import TracerProvider

from peerwork_common.operations.tracing import Tracing
from peerwork_common.settings import ServiceSettings


def test_off_without_an_endpoint(monkeypatch):
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    tracing = Tracing.of(ServiceSettings(), "registry")
    assert tracing.provider is None and tracing.tracer("peerwork.relay") is None


def test_on_with_the_standard_variable_or_the_setting(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    standard = Tracing.of(ServiceSettings(), "registry")
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT")
    configured = Tracing.of(ServiceSettings(otlp_endpoint="http://127.0.0.1:4318"), "reporting")
    for tracing, service in ((standard, "registry"), (configured, "reporting")):
        assert isinstance(tracing.provider, TracerProvider)
        assert tracing.provider.resource.attributes["service.name"] == service
        tracing.shutdown()
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert Tracing.of(ServiceSettings(otlp_endpoint="http://127.0.0.1:4318"), "registry").provider is None
