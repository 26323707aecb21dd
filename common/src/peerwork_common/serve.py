import uvicorn
from fastapi import FastAPI

from .settings import ServiceSettings

# After SIGTERM or SIGINT, requests still running are given this long, then cancelled and
# the service stops. Without a bound uvicorn waits for them, and the consumer keeps
# applying batches meanwhile: a reporting service catching up at start-up, with a series
# being read, went on for minutes.
GRACEFUL_SHUTDOWN_SECONDS = 5


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    """Serves ``app`` with uvloop and httptools, without a log line per request."""
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,  # its lines go through configure_logging's handler, JSON included
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
