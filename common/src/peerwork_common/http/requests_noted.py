"""What is noted of each HTTP request as it is answered: its duration (a histogram), the
commands' outcomes (a count) and an access log line.

Labels and log lines name the route's template (``/peer-workers/{peer_worker_id}``), never
an id of the path as a label (few series), and never the query string, a header (a token)
or a body: what a person searched for or sent stays out of the logs."""

import logging
import time

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("peerwork.access")

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ObserveRequests:
    """ASGI middleware: ``durations`` by method, route and status; write requests into
    ``commands`` by outcome; a line to ``peerwork.access`` at ``log_level`` (None: none)."""

    def __init__(
        self, app: ASGIApp, durations: Histogram, commands: Counter, log_level: str | None
    ) -> None:
        self._app = app
        self._durations = durations
        self._commands = commands
        self._log_level = logging.getLevelName(log_level) if log_level else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        status = 500  # unless a response starts: the app raised
        started = time.perf_counter()

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, noting_status)
        finally:
            self._note(scope, status, time.perf_counter() - started)

    def _note(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope["method"]
        route = getattr(scope.get("route"), "path", "unmatched")
        self._durations.labels(method, route, str(status)).observe(seconds)
        if method in _WRITES:
            self._commands.labels(method, route, _outcome(status)).inc()
        if self._log_level is not None:
            duration_ms = round(seconds * 1000, 1)
            access_log.log(
                self._log_level, "%s %s %d %.1f ms", method, scope["path"], status, duration_ms,
                extra={
                    "method": method, "route": route, "path": scope["path"], "status": status,
                    "duration_ms": duration_ms,
                },
            )


def _outcome(status: int) -> str:
    return "handled" if status < 400 else "rejected" if status < 500 else "failed"
