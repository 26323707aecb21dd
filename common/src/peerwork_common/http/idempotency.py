"""Idempotent commands: a write request that carries an ``Idempotency-Key`` header runs once.

A client that lost the answer to a command (a timeout, a dropped connection) cannot tell
whether it was stored; retried with the same key, it gets the first answer back
(``Idempotency-Replayed: true``) and nothing is stored twice. Keys are the caller's own
(scoped to the token's subject), and the answers are kept in the service's own database
(``IdempotentRequests``) until they expire.

The key is claimed (a row, unique per subject and key) before the command runs; the events
it stores record, in their own transaction, that the claim took effect (``idempotent_saves``),
and the answer is stored before it is sent. A request that fails before taking effect
releases its claim, so the retry runs; one cut short (its process killed) leaves a claim
that a retry takes over once its lease has passed. A request that took effect is never run
again: its retry gets the answer kept, or, when the answer was lost with its process, a
creation's id (201) or, for a command on a record, a 409 saying it took effect.

A replay is only for a caller who may make the request now (the same subject may hold
another token since, with fewer roles or another territory): the route runs first with
every check it has, and is stopped where it would store anything (``checking``); if the
checks refuse the caller, the refusal is the answer, as without the key.
"""

import logging
from datetime import timedelta

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peerwork_common.eventstore.idempotent_saves import Claim, WouldStore, checking, running
from peerwork_common.http import request_fingerprints
from peerwork_common.http.asgi_bodies import read_body, replaying
from peerwork_common.http.idempotency_document import document_idempotency
from peerwork_common.http.idempotent_requests import FirstRequest, IdempotentRequests

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
DEFAULT_TTL = timedelta(hours=24)
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Not the command's own answer: the caller's credentials, its pace, or the transport; or
# nothing found to act on, which a retry may well find.
_NOT_KEPT = {401, 403, 404, 405, 408, 413, 429}
# The checks of a caller: without a role, outside the territory (a record there is "not found").
_REFUSED_NOW = {401, 403, 404}
_KEPT = ("content-type", "location")

_MALFORMED = (
    f"the {HEADER} header must be 1 to 255 visible ASCII characters (no spaces), a UUID for "
    "instance: send a new one with each new request, and the same one only to retry it"
)
_REUSED = (
    f"this {HEADER} was already used for a different request; "
    "use a new key for each new request"
)
_IN_PROGRESS = (
    f"a request with this {HEADER} is in progress: retry in a moment with the same key"
)
_ANSWER_LOST = (
    f"the request with this {HEADER} took effect, but its answer was lost: read the record "
    "to see the result; do not send it again"
)


def install_idempotency(app: FastAPI, requests: IdempotentRequests) -> None:
    """Makes ``app``'s write routes idempotent under the header, and documents it."""
    app.state.idempotency = requests
    app.add_middleware(Idempotency, requests=requests)
    document_idempotency(app, HEADER, _WRITES)


class Idempotency:
    """Pure ASGI: the request body is read here, then handed to the app unchanged."""

    def __init__(self, app: ASGIApp, requests: IdempotentRequests) -> None:
        self._app = app
        self._requests = requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        writes = scope["type"] == "http" and scope["method"] in _WRITES
        headers = Headers(scope=scope) if writes else Headers()
        if (key := headers.get(HEADER)) is None or not _routed(scope):
            return await self._app(scope, receive, send)  # no route: the app's 404 or 405
        identity = await request_fingerprints.identity(scope, headers)
        if identity is None:  # the route answers 401 itself, before anything else
            return await self._app(scope, receive, send)
        if not (1 <= len(key) <= 255 and all("!" <= character <= "~" for character in key)):
            return await _refusal(400, _MALFORMED)(scope, receive, send)
        try:
            body = await read_body(receive)
        except HTTPException as error:  # over the size limit, as the route would have said
            return await _refusal(error.status_code, error.detail)(scope, receive, send)
        for message in await self._once(scope, receive, (identity.subject, key), body):
            await send(message)

    async def _once(
        self, scope: Scope, receive: Receive, claimed: tuple[str, str], body: bytes
    ) -> list[Message]:
        """The answer to the request: the app's, or the one its key already has."""
        fingerprint = request_fingerprints.fingerprint(scope, body)
        resource = request_fingerprints.uuid_in(scope["path"])
        claim = await run_in_threadpool(self._requests.claim, *claimed, fingerprint, resource)
        if isinstance(claim, FirstRequest):
            if claim.fingerprint != fingerprint:
                return await _answer(_refusal(422, _REUSED), scope, receive)
            return await self._again(claim, scope, replaying(body, receive))
        try:
            with running(claim):
                answer = await _answer(self._app, scope, replaying(body, receive))
        except Exception:
            await run_in_threadpool(self._requests.release, claim)
            raise
        status, content = answer[0]["status"], b"".join(m.get("body", b"") for m in answer[1:])
        # An answer with Retry-After says the same request may succeed later: not kept.
        retry_later = "retry-after" in Headers(raw=answer[0]["headers"])
        if status >= 500 or status in _NOT_KEPT or retry_later:
            await run_in_threadpool(self._requests.release, claim)
            return answer
        await self._keep(claim, scope, answer, content)
        return answer

    async def _again(self, first: FirstRequest, scope: Scope, receive: Receive) -> list[Message]:
        """The answer to a retry, once the route's checks let the caller through now."""
        with checking():
            try:
                checked = await _answer(self._app, scope, receive)
            except WouldStore:  # the checks passed: only the command itself remained
                checked = None
        if checked is not None and checked[0]["status"] in _REFUSED_NOW:
            return checked
        kept = _response_to(first, creation=request_fingerprints.uuid_in(scope["path"]) is None)
        return await _answer(kept, scope, receive)

    async def _keep(
        self, claim: Claim, scope: Scope, answer: list[Message], content: bytes
    ) -> None:
        headers = [(n, v) for n, v in Headers(raw=answer[0]["headers"]).items() if n in _KEPT]
        about = request_fingerprints.uuid_in(scope["path"]) or request_fingerprints.id_in(content)
        kept = (answer[0]["status"], headers, content, about)
        try:
            await run_in_threadpool(self._requests.complete, claim, *kept)
        except Exception:  # the command may have taken effect: its answer is still due
            log.exception("the answer to %s %s was not kept", scope["method"], scope["path"])


def _routed(scope: Scope) -> bool:
    """Whether a route of the app takes the request: a key sent elsewhere is not looked at."""
    return any(route.matches(scope)[0] is Match.FULL for route in scope["app"].router.routes)


def _response_to(first: FirstRequest, creation: bool) -> Response:
    replayed = {"idempotency-replayed": "true"}
    if first.status is not None:
        return Response(first.body, first.status, headers={**dict(first.headers), **replayed})
    if not first.took_effect:
        return _refusal(409, _IN_PROGRESS)
    if creation and first.resource is not None:  # what the route answers: ``Created``
        return JSONResponse({"id": str(first.resource)}, 201, headers=replayed)
    return _refusal(409, _ANSWER_LOST)


def _refusal(status: int, detail: str) -> Response:
    return JSONResponse({"detail": detail}, status)


async def _answer(app: ASGIApp, scope: Scope, receive: Receive) -> list[Message]:
    """What ``app`` sends, held back: an answer is stored before it is sent."""
    messages: list[Message] = []

    async def keep(message: Message) -> None:
        messages.append(message)

    await app(scope, receive, keep)
    return messages
