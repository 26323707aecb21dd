import uvicorn
from fastapi import FastAPI

from .settings import ServiceSettings


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
    )
