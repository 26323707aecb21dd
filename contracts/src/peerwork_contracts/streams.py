"""JetStream stream settings, defined once for publishers, consumers and operators.

The events stream is the platform's history: it keeps every event forever (no age or
count limit), so that any projection can be rebuilt from its first message.
"""

from dataclasses import dataclass

from . import subjects


@dataclass(frozen=True)
class StreamSettings:
    name: str
    subjects: tuple[str, ...]
    description: str
    duplicate_window_seconds: float = 120.0
    # Whether publishers may store messages in atomic batches, all of one or none of it
    # (``allow_atomic``, nats-server 2.12+); the relays do so on the events stream.
    atomic_publish: bool = False


EVENTS = StreamSettings(
    name="PEERWORK_EVENTS",
    subjects=tuple(subjects.service_events(service) for service in subjects.SERVICES),
    description="Every public event of peerwork, in the order each service recorded it.",
    atomic_publish=True,
)

DEAD_LETTERS = StreamSettings(
    name="PEERWORK_DEAD_LETTERS",
    subjects=(subjects.dead_letter_subject("*"),),
    description="Messages a consumer could not apply, parked for an operator to inspect.",
)

# Headers the relay sets on every event message.
MSG_ID_HEADER = "Nats-Msg-Id"
POSITION_HEADER = "Peerwork-Position"  # the event's notification id in its source service
# Only on an older version's copy of an event (``side_by_side``): the subject of the event's
# newest version, which follows it on the stream with the same event id and position.
COPY_OF_HEADER = "Peerwork-Copy-Of"

# Prefixes of the headers that direct a publication rather than describe its message: the
# expectations the stream checks (``Nats-Expected-Last-Subject-Sequence``...) and an atomic
# batch's id, sequence and commit (``Nats-Batch-Id``...). JetStream stores them with the
# message: whoever publishes a stored message again (to park it, say) must leave them out.
PUBLICATION_DIRECTIVES = ("Nats-Expected-", "Nats-Batch-")

# Headers a consumer adds to what it parks on the dead-letter stream (the original ones kept,
# but ``Nats-Msg-Id``, which becomes ``<consumer>:<original sequence>``).
ORIGINAL_SUBJECT_HEADER = "Peerwork-Original-Subject"
ORIGINAL_SEQUENCE_HEADER = "Peerwork-Original-Sequence"  # on the events stream
ERROR_HEADER = "Peerwork-Error"  # why it was parked, on one line
