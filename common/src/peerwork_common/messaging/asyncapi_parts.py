"""What the AsyncAPI document says that the contract models cannot: where the servers are
(``local_stack`` and ``deploy/``), and the headers the relay and the consumers set (``relay``,
``consumer``; a test reads them off real messages)."""

from peerwork_common.messaging.nats import LOCAL_PORT
from peerwork_contracts import streams

SERVERS = {
    "local": {
        "description": "`make run` on this machine: no credentials (PEERWORK_NATS_PORT changes the port).",
        "host": f"127.0.0.1:{LOCAL_PORT}",
        "protocol": "nats",
    },
    "production": {
        "description": (
            "deploy/docker-compose.yml: the `nats` service, published on the host as NATS_PORT. "
            "Systems outside peerwork connect as `downstream` (deploy/nats/README.md)."
        ),
        "host": "{host}:4222",
        "protocol": "nats",
        "security": [{"$ref": "#/components/securitySchemes/downstream"}],
        "variables": {"host": {"description": "the host the platform runs on", "examples": ["nats.example.org"]}},
    },
}

SECURITY_SCHEMES = {
    "downstream": {
        "description": (
            "User `downstream`, password DOWNSTREAM_NATS_PASSWORD, read-only: it must use the inbox "
            "prefix `_INBOX_downstream` and the durable consumer named after it (one user, "
            "consumer and inbox prefix per subscribing organisation: deploy/nats/README.md)."
        ),
        "type": "userPassword",
    },
}


def _text(description: str, **more: object) -> dict:
    return {"description": description, "type": "string", **more}


EVENT_HEADERS = {
    "properties": {
        streams.MSG_ID_HEADER: _text(
            "the event's `event_id` (on an older version's copy: `<event_id>:<its subject>`): JetStream drops a "
            "duplicate within its window", pattern=r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}(:peerwork\.[a-z_.]+\.v[0-9]+)?$",
        ),
        streams.POSITION_HEADER: _text("the event's `position` in its source's log, as text", pattern="^[1-9][0-9]*$"),
        # On a message published alone, or first of its batch: the stream checked it for the batch.
        "Nats-Expected-Last-Subject-Sequence": _text(
            "the stream sequence of the source's previous message, as the relay expected it (on a message "
            "published alone, or the first of an atomic batch, for the whole batch)", pattern="^[0-9]+$"
        ),
        "Nats-Expected-Last-Subject-Sequence-Subject": _text(
            "the source's subjects, `peerwork.<source>.>` (where `Nats-Expected-Last-Subject-Sequence` is)"
        ),
        "Nats-Expected-Stream": _text(f"`{streams.EVENTS.name}`"),
        # On a message stored in an atomic batch (the relays' way where the stream allows it).
        "Nats-Batch-Id": _text("the atomic batch the message was stored in, all of it together"),
        "Nats-Batch-Sequence": _text("the message's place in its batch, from 1", pattern="^[1-9][0-9]*$"),
        "Nats-Batch-Commit": _text("`1`, on the last message of its batch"),
        # Only on an older version's copy (``side_by_side``): optional.
        streams.COPY_OF_HEADER: _text(
            "only on a copy of an event in an older version published beside its newest: the newest's subject, on "
            "which the same event (same `event_id` and `position`) follows; read one of them, not both"
        ),
        # Only where the publishing service is traced (``tracing``): optional.
        "traceparent": _text(
            "W3C trace context of the relay's publication span, to continue the trace (only when tracing is on)",
            pattern="^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
        ),
        "tracestate": _text("W3C trace state that goes with `traceparent`, if any"),
    },
    "required": sorted([streams.MSG_ID_HEADER, streams.POSITION_HEADER, "Nats-Expected-Stream"]),
    "type": "object",
}

DEAD_LETTER_HEADERS = {
    "additionalProperties": {"description": "the parked message's own headers, kept", "type": "string"},
    "properties": {
        streams.MSG_ID_HEADER: _text("`<consumer>:<original sequence>`: parked again, still parked once"),
        streams.ORIGINAL_SUBJECT_HEADER: _text("the subject it was published on"),
        streams.ORIGINAL_SEQUENCE_HEADER: _text(f"its sequence on {streams.EVENTS.name}", pattern="^[1-9][0-9]*$"),
        streams.ERROR_HEADER: _text("why the consumer could not apply it"),
    },
    "required": sorted([
        streams.MSG_ID_HEADER, streams.ORIGINAL_SUBJECT_HEADER, streams.ORIGINAL_SEQUENCE_HEADER, streams.ERROR_HEADER,
    ]),
    "type": "object",
}
