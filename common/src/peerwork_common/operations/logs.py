"""Logging for every service: text for a terminal, or one JSON object per line for a log
collector. Each line written while serving a request carries the request's id."""

import logging
import sys
from typing import Literal

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

LogFormat = Literal["text", "json"]

# ``correlation_id``: the request id, as asgi-correlation-id calls it.
_TEXT = "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s]: %(message)s"
# Besides these, a line has whatever the call passed in ``extra`` (``event_id``, say).
_JSON = "%(levelname)s %(name)s %(message)s %(correlation_id)s"
_JSON_NAMES = {"levelname": "level", "name": "logger", "correlation_id": "request_id"}
_NOT_IN_JSON = [*RESERVED_ATTRS, "color_message"]  # uvicorn's message with terminal colours

# The handler installed last: configuring again (tests build several services) replaces
# it rather than adding a second, and leaves other handlers (pytest's) alone.
_installed: logging.Handler | None = None


def _formatter(log_format: LogFormat) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(
            _JSON, rename_fields=_JSON_NAMES, reserved_attrs=_NOT_IN_JSON, timestamp="time"
        )
    return logging.Formatter(_TEXT)


def configure_logging(level: str, log_format: LogFormat = "text") -> None:
    """Every log line to standard error, from ``level`` up, in ``log_format``."""
    global _installed
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(CorrelationIdFilter(default_value=None if log_format == "json" else "-"))
    handler.setFormatter(_formatter(log_format))
    root = logging.getLogger()
    if _installed is not None:
        root.removeHandler(_installed)
    root.addHandler(handler)
    root.setLevel(level.upper())
    _installed = handler
