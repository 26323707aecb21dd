"""Dead letters: a consumer parks on its own subject of the dead-letter stream what it cannot
apply, with the reason, and replays it on request once the cause is fixed (``dead_letters``
is the operator's command)."""

import json
import logging
from collections.abc import Awaitable, Callable, Sequence

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError

from peerwork_common.messaging.batches import stream_sequence
from peerwork_common.messaging.projections import APPLIED, UNCHANGED, Projection
from peerwork_contracts import catalogue, streams, subjects
from peerwork_contracts.evolution import unknown_values

log = logging.getLogger(__name__)


def replay_subject(consumer: str) -> str:
    """Where the running consumer takes replay requests (core NATS request and reply)."""
    return f"{subjects.ROOT}.replay.{consumer}"


Replay = Callable[[list[int]], Awaitable[dict[int, str]]]


def answering(consumer: str, replay: Replay) -> Callable[[Msg], Awaitable[None]]:
    """The callback that answers the replay requests of ``replay_subject(consumer)``."""

    async def answer(request: Msg) -> None:
        try:
            sequences = [int(sequence) for sequence in json.loads(request.data)["sequences"]]
        except (ValueError, KeyError, TypeError) as error:
            await request.respond(json.dumps({"error": f"not a replay request: {error}"}).encode())
            return
        try:
            outcomes = await replay(sequences)
        except Exception as error:  # the operator is told, and may try again
            log.exception("consumer %s: replay of %s failed", consumer, sequences)
            await request.respond(json.dumps({"error": f"replay failed: {error!r}"}).encode())
            return
        await request.respond(json.dumps({"outcomes": {str(s): o for s, o in outcomes.items()}}).encode())

    return answer


class Parking:
    def __init__(self, consumer: str, projection: Projection, replays_for: Sequence[str] = ()) -> None:
        """``replays_for``: other consumers whose dead letters this one replays, as the live
        statistics consumer does its rebuild's, whose store it took over."""
        self._consumer = consumer
        self._projection = projection
        self._subject = subjects.dead_letter_subject(consumer)
        self._replayable = {subjects.dead_letter_subject(other) for other in (consumer, *replays_for)}

    async def park(self, js: JetStreamContext, message: Msg, error: str) -> None:
        sequence = stream_sequence(message)
        # Not the relay's directives to the events stream: the dead-letter stream would check
        # its expectations against its own messages (and refuse all but a source's first) and
        # take a batch's headers for a batch of its own (and refuse the message).
        headers = {
            name: value for name, value in (message.headers or {}).items()
            if not name.startswith(streams.PUBLICATION_DIRECTIVES)
        }
        log.warning(
            "consumer %s: parking stream message %d on %s: %s",
            self._consumer, sequence, message.subject, error,
            extra={"event_id": headers.get(streams.MSG_ID_HEADER)},  # the relay's event id
        )
        headers.update({
            # Parked again after a crash, it is still parked once.
            streams.MSG_ID_HEADER: f"{self._consumer}:{sequence}",
            streams.ORIGINAL_SUBJECT_HEADER: message.subject,
            streams.ORIGINAL_SEQUENCE_HEADER: str(sequence),
            streams.ERROR_HEADER: " ".join(error.split())[:500],  # headers are one line
        })
        await js.publish(self._subject, message.data, headers=headers, stream=streams.DEAD_LETTERS.name)

    async def replay(self, js: JetStreamContext, sequence: int) -> str:
        """Applies the message parked at ``sequence`` of the dead-letter stream; says what came
        of it (APPLIED, UNCHANGED, or why it is refused)."""
        try:
            parked: RawStreamMsg = await js.get_msg(streams.DEAD_LETTERS.name, sequence)
        except NotFoundError:
            return f"refused: no message {sequence} on {streams.DEAD_LETTERS.name}"
        if parked.subject not in self._replayable:
            return f"refused: message {sequence} is on {parked.subject}, not {' or '.join(sorted(self._replayable))}"
        headers = parked.headers or {}
        try:
            event = catalogue.parse(headers[streams.ORIGINAL_SUBJECT_HEADER], parked.data or b"")
        except (catalogue.UnknownEventError, catalogue.ValidationError) as error:
            return f"refused: still unreadable: {' '.join(str(error).split())[:500]}"
        if unknown := unknown_values(event):  # parked for a value this version does not know yet
            return f"refused: still unreadable: {'; '.join(unknown)[:500]}"
        outcome = self._projection.replay(event, int(headers[streams.ORIGINAL_SEQUENCE_HEADER]))
        log.info("consumer %s: dead letter %d replayed: %s", self._consumer, sequence, outcome)
        return outcome if outcome in (APPLIED, UNCHANGED) else f"refused: {outcome}"
