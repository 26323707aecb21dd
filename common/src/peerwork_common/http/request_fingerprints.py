"""What tells one write request from another (``idempotency``): its caller, its fingerprint,
and the record it is about."""

import hashlib
import json
import re
from uuid import UUID

from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import Scope

from peerwork_common.security.auth import Identity, InvalidTokenError, Verifier

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


async def identity(scope: Scope, headers: Headers) -> Identity | None:
    """The caller, verified once for the request: ``access.caller`` finds it in the state."""
    scheme, token = get_authorization_scheme_param(headers.get("authorization"))
    if scheme.lower() != "bearer" or not token:
        return None
    verifier: Verifier = scope["app"].state.verifier
    try:
        identity = await run_in_threadpool(verifier.identify, token)
    except InvalidTokenError:
        return None
    scope.setdefault("state", {})["identity"] = identity
    return identity


def fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    path = scope.get("raw_path") or scope["path"].encode()
    for part in (scope["method"].encode(), path, scope["query_string"], body):
        # Each part's length first: two different requests never hash the same bytes.
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def uuid_in(path: str) -> UUID | None:
    found = _UUID.search(path)
    return UUID(found.group()) if found else None


def id_in(content: bytes) -> UUID | None:
    """A creation's id (``{"id": ...}``), which the answer is about."""
    try:
        answer = json.loads(content)
        return UUID(answer["id"]) if isinstance(answer, dict) else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
