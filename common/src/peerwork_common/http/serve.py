import os
import socket
import sys

import uvicorn
from fastapi import FastAPI
from uvicorn.main import STARTUP_FAILURE

from peerwork_common.settings import ServiceSettings, variable

# After SIGTERM or SIGINT, requests still running are given this long, then cancelled and
# the service stops. Without a bound uvicorn waits for them, and the consumer keeps
# applying batches meanwhile: a reporting service catching up at start-up, with a series
# being read, went on for minutes.
GRACEFUL_SHUTDOWN_SECONDS = 5


def config(app: FastAPI, settings: ServiceSettings) -> uvicorn.Config:
    """How uvicorn serves ``app``: with uvloop and httptools, without a log line per request,
    taking the client's address from ``X-Forwarded-For`` only from the proxies the settings
    trust (uvicorn alone would trust 127.0.0.1, so any local process could pose as any
    client, to the rate limit for one)."""
    trusted = settings.forwarded_allow_ips
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,  # its lines go through configure_logging's handler, JSON included
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted,
    )


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    """Serves ``app`` on the settings' address, or exits naming it if it is not free."""
    # Bound before the app starts: uvicorn binds after, and a failure then let the app's
    # background loops take its exit for one of their own errors and start again for ever.
    server = uvicorn.Server(config(app, settings))
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    try:
        listening = socket.create_server((settings.host, settings.port), family=family)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        sys.exit(
            f"cannot listen on {settings.host} port {settings.port}: {reason}; stop what uses it, "
            f"or set {variable(settings, 'port')} (and {variable(settings, 'host')}) to a free address"
        )
    try:
        server.run(sockets=[listening])
    except KeyboardInterrupt:  # as uvicorn.run: a second Ctrl-C while stopping
        pass
    if not server.started:  # the app did not start: its lifespan said why
        sys.exit(STARTUP_FAILURE)
