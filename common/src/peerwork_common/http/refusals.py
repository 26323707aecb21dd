"""The refusals a route declares in its OpenAPI document, with the bodies they come with, so
that a client (and the fuzzing tests) can rely on every 4xx being documented."""

from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field


class Refusal(BaseModel):
    """Why the request was refused, in a sentence a person can act on."""

    detail: str


class Conflict(BaseModel):
    """Why the request contradicts what is recorded; ``existing_id`` when it would record
    again what is there already (``errors.DuplicateError``)."""

    detail: str
    existing_id: UUID | None = Field(
        default=None, description="The record already there, when the request duplicates it"
    )


class FieldError(BaseModel):
    """One malformed field: where (``loc``) and what is wrong with it (``msg``)."""

    loc: list[str | int]
    msg: str
    type: str


class InvalidRequest(BaseModel):
    """Malformed values: field by field when the request does not parse, one sentence when
    its values, each well formed, do not hold together."""

    detail: list[FieldError] | str = Field(
        examples=["the session cannot end (2024-01-01) before it starts (2024-02-01)"]
    )


_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request is taken",
        "schema": {"type": "integer"},
    }
}

_DECLARED: dict[int, dict[str, Any]] = {
    400: {"model": Refusal, "description": "The body is not JSON text"},
    401: {
        "model": Refusal,
        "description": "The bearer token is missing, expired or cannot be verified",
        "headers": {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
    },
    403: {"model": Refusal, "description": "The token's roles do not allow this"},
    404: {"model": Refusal, "description": "Something the request names is not known"},
    406: {"model": Refusal, "description": "Not available in the format asked for"},
    409: {"model": Refusal, "description": "Contradicts what is already recorded; nothing stored"},
    410: {"model": Refusal, "description": "The person's record was erased at their request"},
    413: {"model": Refusal, "description": "The body is larger than the service takes"},
    415: {"model": Refusal, "description": "The file is in none of the formats the route reads"},
    422: {"model": InvalidRequest, "description": "Malformed or inconsistent values"},
    429: {
        "model": Refusal,
        "description": "Too many requests from this address",
        "headers": _RETRY_AFTER,
    },
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route (or router) that refuses with these statuses."""
    return {status: _DECLARED[status] for status in statuses}


def duplicate() -> dict[int | str, dict[str, Any]]:
    """The 409 of a route that refuses to record something twice, naming what is there."""
    return {
        409: {
            "model": Conflict,
            "description": "Contradicts what is already recorded, or duplicates the record "
            "`existing_id`; nothing stored",
        }
    }
