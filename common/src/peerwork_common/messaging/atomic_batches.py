"""Atomic batch publication to JetStream (ADR-50, nats-server 2.12+): messages the stream
stores all together, in order, or not at all.

nats-py 2.16 knows the batch headers and reads the batch's acknowledgement, but has no
publisher for it, and the packages that have one (``nats-jetstream``, ``jetstreamext``) are
not on the registries this project installs from: this is the documented protocol, by hand.
Every message but the last goes out without a reply subject (the stream answers nothing);
the last one commits the batch and is answered with the acknowledgement of the whole, or
with the error that abandoned it (an expectation not met, a message id already stored,
batches not allowed on the stream). A batch never committed (its publisher killed halfway)
is dropped by the server after 10 s of silence: none of it is stored.
"""

import json
from dataclasses import dataclass
from uuid import uuid4

from nats.aio.client import Client
from nats.errors import NoRespondersError
from nats.js.api import Header, PubAck
from nats.js.errors import APIError, NoStreamResponseError

# The most messages nats-server takes in one batch (its default ``max_msgs`` for batches).
MOST_MESSAGES = 1000

# Error codes of nats-server's answers (server/errors.json).
ATOMIC_PUBLISH_DISABLED = 10174  # the stream was created without allow_atomic
DUPLICATE_MESSAGE_ID = 10201  # a message of the batch has an id already stored


@dataclass(frozen=True)
class Message:
    subject: str
    body: bytes
    headers: dict[str, str]


async def publish_atomically(connection: Client, messages: list[Message], timeout: float) -> PubAck:
    """Publishes ``messages`` (1 to ``MOST_MESSAGES``) as one batch; returns its acknowledgement,
    whose ``seq`` is the stream sequence of the last one (the others precede it). Raises the
    stream's ``APIError`` if it refused the batch: then none of it is stored."""
    if not 0 < len(messages) <= MOST_MESSAGES:
        raise ValueError(f"an atomic batch holds 1 to {MOST_MESSAGES} messages, not {len(messages)}")
    batch_id = uuid4().hex  # each attempt its own: a retry is a new batch, never a sequel
    *leading, last = messages
    for sequence, message in enumerate(leading, start=1):
        await connection.publish(message.subject, message.body, headers=_in_batch(message, batch_id, sequence))
    committing = {**_in_batch(last, batch_id, len(messages)), Header.BATCH_COMMIT.value: "1"}
    try:
        reply = await connection.request(last.subject, last.body, timeout=timeout, headers=committing)
    except NoRespondersError:
        raise NoStreamResponseError from None
    answer = json.loads(reply.data)
    if "error" in answer:
        raise APIError.from_error(answer["error"])
    ack = PubAck.from_response(answer)
    if (ack.batch_id, ack.batch_size) != (batch_id, len(messages)):
        raise APIError(description=f"the stream acknowledged {answer} for batch {batch_id} of {len(messages)}")
    return ack


def _in_batch(message: Message, batch_id: str, sequence: int) -> dict[str, str]:
    return {**message.headers, Header.BATCH_ID.value: batch_id, Header.BATCH_SEQUENCE.value: str(sequence)}
