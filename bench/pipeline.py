"""Stage 3: the whole pipeline, registry -> relay -> JetStream -> reporting, as processes."""

from dataclasses import dataclass
from pathlib import Path

from .commands import AUTH_SECRET
from .latency import Latency, latency
from .memory import peak_mb, reset_peak
from .processes import Process, free_port, start_service
from .throughput import Throughput, throughput


@dataclass
class PipelineRun:
    throughput: Throughput
    latency: Latency | None
    peaks_mb: dict[str, float]  # each service's peak resident memory during the latency run
    notes: list[str]


async def run_pipeline(workdir: Path, nats_url: str, n: int, concurrency: int, rate: float,
                       seconds: float) -> PipelineRun:
    """Starts both services on fresh stores, measures throughput, then latency."""
    services: list[Process] = []
    peaks: dict[str, float] = {}
    try:
        services, registry_url, reporting_url = start_services(workdir, nats_url, "pipeline")
        measured_throughput = await throughput(registry_url, reporting_url, n, concurrency)
        measured_latency = None
        if measured_throughput.rate is not None:  # a stalled projection would only time out again
            for service in services:
                reset_peak(service)
            measured_latency = await latency(registry_url, reporting_url, rate, seconds)
            peaks = {service.name: peak_mb(service) for service in services}
        for service in services:
            service.check_alive()
    finally:
        for service in reversed(services):
            service.stop()
    return PipelineRun(measured_throughput, measured_latency, peaks, reporting_diagnostics(services[-1].log_path))


def start_services(workdir: Path, nats_url: str, name: str) -> tuple[list[Process], str, str]:
    """The registry (its relay on) and reporting (its consumer on), on fresh SQLite stores
    named after the stage: the processes, and their URLs."""
    services: list[Process] = []
    try:
        registry_port, reporting_port = free_port(), free_port()
        registry, registry_url = start_service("peerwork_registry", {
            "REGISTRY_HOST": "127.0.0.1",
            "REGISTRY_PORT": str(registry_port),
            "REGISTRY_RELAY_ENABLED": "true",
            "REGISTRY_PERSISTENCE": "sqlite",
            "REGISTRY_SQLITE_PATH": str(workdir / f"{name}-registry.sqlite"),
            "REGISTRY_NATS_URL": nats_url,
            "REGISTRY_AUTH_JWT_SECRET": AUTH_SECRET,
            "REGISTRY_IMPORT_ANSWER_WITHIN_SECONDS": "300",  # the import stage times the report too
        }, workdir, registry_port)
        services.append(registry)
        reporting, reporting_url = start_service("peerwork_reporting", {
            "REPORTING_HOST": "127.0.0.1",
            "REPORTING_PORT": str(reporting_port),
            "REPORTING_CONSUMER_ENABLED": "true",
            "REPORTING_STORE_PATH": str(workdir / f"{name}-reporting.sqlite"),
            "REPORTING_NATS_URL": nats_url,
            "REPORTING_AUTH_JWT_SECRET": AUTH_SECRET,
        }, workdir, reporting_port)
        services.append(reporting)
    except BaseException:
        for service in reversed(services):
            service.stop()
        raise
    return services, registry_url, reporting_url


def reporting_diagnostics(log_path: Path) -> list[str]:
    """What the reporting service's log says about its consumer."""
    text = log_path.read_text(errors="replace")
    if (restarts := text.count("starting again from the stored position")) > 0:
        return [f"reporting: the consumer started again from its stored position {restarts} time(s)"]
    return []
