"""The ``Idempotency-Key`` header in the OpenAPI document (``idempotency``): on every write
operation, with the refusals it brings."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from peerwork_common.http.refusals import refusals


def document_idempotency(app: FastAPI, header_name: str, writes: set[str]) -> None:
    """Adds the header, and the refusals it brings, to every write operation's document."""
    generate: Callable[[], dict[str, Any]] = app.openapi
    header = {
        "name": header_name,
        "in": "header",
        "required": False,
        "description": "1 to 255 visible ASCII characters, new for each command (a UUID): a "
        "retry with the same key gets the first answer back (`Idempotency-Replayed: true`) "
        "and stores nothing twice; the key used for another request is a 422, and a retry "
        "while the first is in progress a 409",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    }
    declared = refusals(400, 409, 422)

    def documented() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        responses = {}
        for status, refusal in declared.items():
            model = refusal["model"]
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in {**schema.pop("$defs", {}), model.__name__: schema}.items():
                schemas.setdefault(name, definition)
            reference = {"$ref": f"#/components/schemas/{model.__name__}"}
            content = {"application/json": {"schema": reference}}
            responses[str(status)] = {"description": refusal["description"], "content": content}
        for path in document.get("paths", {}).values():
            for method, operation in path.items():
                if method.upper() in writes:
                    operation.setdefault("parameters", []).append(header)
                    operation["responses"] = {**responses, **operation.get("responses", {})}
        return document

    app.openapi = documented  # type: ignore[method-assign]
