"""A check of every JSON request body, before any route reads it, for what Python's json
takes but nothing after it can hold: a lone surrogate ("\\ud800", which no UTF-8 store,
answer or log line can encode), NaN, Infinity and numbers beyond a float (1e999999), which
no JSON answer can carry back. Each of them is refused with a 422 naming the field; a body
that is not UTF-8, or nested deeper than ``MAX_DEPTH``, with a 400 saying which. (Each got a
500: from the store, or from the 422 that echoed the value back.)"""

import json
import logging
import math
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peerwork_common.http.asgi_bodies import read_body, replaying

log = logging.getLogger(__name__)

MAX_DEPTH = 32  # the deepest command nests 3 levels; this leaves room and stops recursion
_WITH_BODY = {"POST", "PUT", "PATCH", "DELETE"}


class _NotANumber:
    """What the body wrote where JSON allows no number (kept to be named with its field)."""

    def __init__(self, text: str) -> None:
        self.text = text if len(text) <= 20 else text[:20] + "…"


def check_json_bodies(app: FastAPI, uploads: frozenset[str] = frozenset()) -> None:
    """Refuses, on every route of ``app``, the JSON bodies no route could answer. The paths
    ``uploads`` names take files (multipart/form-data) of their own format (XLSX is a zip),
    which their route reads as a file and never echoes: those are let through unread."""
    app.add_middleware(_JsonBodyCheck, uploads=uploads)


def problems(body: bytes, is_json: bool) -> tuple[int, Any] | None:
    """None for a body the routes may read (an empty one, or one they will refuse
    themselves, as they do JSON that does not parse); else the status and ``detail`` of
    the refusal. Any body must be UTF-8: a route's 422 echoes what it could not read."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return 400, (
            f"the request body is not UTF-8 (byte 0x{body[error.start]:02x} at position "
            f"{error.start}): send JSON encoded as UTF-8"
        )
    if not is_json:
        return None
    try:
        document = json.loads(text, parse_constant=_NotANumber, parse_float=_float, parse_int=_int)
        found = list(_walk(document, ["body"], 0))
    except (RecursionError, _TooDeepError):
        return 400, (
            f"the request body nests arrays and objects deeper than {MAX_DEPTH} levels, "
            "more than any command here takes"
        )
    except ValueError:  # not JSON: the route's own 422 says where
        return None
    if not found:
        return None
    return 422, [{"type": kind, "loc": loc, "msg": msg} for kind, loc, msg in found]


class _TooDeepError(Exception):
    pass


def _float(text: str) -> float | _NotANumber:
    number = float(text)
    return number if math.isfinite(number) else _NotANumber(text)


def _int(text: str) -> int | _NotANumber:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (4300)
        return _NotANumber(text)


def _walk(value: Any, loc: list[Any], depth: int) -> Iterator[tuple[str, list[Any], str]]:
    """(type, loc, msg) of each value under ``value`` (at ``loc``) no route could answer."""
    if isinstance(value, list | dict) and depth >= MAX_DEPTH:  # the body itself is level 1
        raise _TooDeepError
    if isinstance(value, str) and (surrogate := _surrogate(value)):
        yield "string_unicode", loc, (
            f"holds a lone surrogate ({surrogate}), which is no character: send the text as valid Unicode"
        )
    elif isinstance(value, _NotANumber):
        yield "finite_number", loc, f"{value.text} is not a number JSON can carry: send a finite number"
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, [*loc, index], depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if _surrogate(key):
                yield "string_unicode", [*loc, _escaped(key)], (
                    "this field's name holds a lone surrogate, which is no character"
                )
            else:
                yield from _walk(item, [*loc, key], depth + 1)


def _surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text`` (as U+D800), if any."""
    found = next((character for character in text if "\ud800" <= character <= "\udfff"), None)
    return None if found is None else f"U+{ord(found):04X}"


def _escaped(text: str) -> str:
    """``text`` with its surrogates written as escapes, so that an answer can name them."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class _JsonBodyCheck:
    """Pure ASGI: reads a request's body, checks it, and hands it to the app unchanged."""

    def __init__(self, app: ASGIApp, uploads: frozenset[str]) -> None:
        self._app = app
        self._uploads = uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY or self._is_upload(scope):
            return await self._app(scope, receive, send)
        try:
            body = await read_body(receive)
        except HTTPException as error:  # over the size limit: the route reads it and says so
            return await self._app(scope, _raising(error), send)
        if (refusal := problems(body, _is_json(scope))) is not None:
            status, detail = refusal
            log.info("%s %s refused (%d): %s", scope["method"], scope["path"], status, detail)
            return await JSONResponse({"detail": detail}, status)(scope, receive, send)
        await self._app(scope, replaying(body, receive), send)

    def _is_upload(self, scope: Scope) -> bool:
        kind = Headers(scope=scope).get("content-type", "").lower()
        return scope["path"] in self._uploads and kind.startswith("multipart/form-data")


def _is_json(scope: Scope) -> bool:
    """The body is one FastAPI parses as JSON: so typed, or of no type at all."""
    kind = Headers(scope=scope).get("content-type", "").split(";")[0].strip().lower()
    return not kind or kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def _raising(error: HTTPException) -> Receive:
    async def again() -> Message:
        raise error

    return again
