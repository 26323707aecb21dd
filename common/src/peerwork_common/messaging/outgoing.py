"""What the relay puts on the stream for one public event: first the copies in the older
versions the contracts publish beside it (``peerwork_contracts.side_by_side``), oldest first,
then the event itself, all with its position; and, after a crash between them, those of its
messages not on the stream yet."""

from dataclasses import dataclass

from peerwork_contracts import side_by_side, streams
from peerwork_contracts.envelope import Event


@dataclass(frozen=True)
class Outgoing:
    event: Event
    msg_id: str  # for JetStream's dedupe window: distinct for each message, always the same for it
    headers: dict[str, str]  # beyond the id, the position and the expected sequence

    def headers_at(self, position: int, last_sequence: int | None, service_subjects: str) -> dict[str, str]:
        """Its headers, published at ``position`` after the service's message ``last_sequence``
        (None: no expectation, as for a batch's messages after its first)."""
        headers = {streams.MSG_ID_HEADER: self.msg_id, streams.POSITION_HEADER: str(position), **self.headers}
        if last_sequence is not None:
            headers["Nats-Expected-Last-Subject-Sequence"] = str(last_sequence)
            headers["Nats-Expected-Last-Subject-Sequence-Subject"] = service_subjects
        return headers


def outgoing(event: Event) -> list[Outgoing]:
    """The messages of ``event``, in the order they are published. The newest keeps the
    event id as its ``Nats-Msg-Id``; a copy's is ``<event id>:<its subject>``."""
    newest = event.subject()
    copies = [
        Outgoing(copy, f"{copy.event_id}:{copy.subject()}", {streams.COPY_OF_HEADER: newest})
        for copy in side_by_side.older_copies(event)
    ]
    return [*copies, Outgoing(event, str(event.event_id), {})]


@dataclass(frozen=True)
class Resumption:
    """Where the stream's last message of a source leaves the relay."""

    position: int  # the last notification whose messages are all on the stream
    copy: tuple[int, str] | None = None  # (position, subject) of the last message, a copy

    @classmethod
    def after(cls, position: int, headers: dict[str, str], subject: str) -> "Resumption":
        """After the message at ``position``: a copy is followed by its event's other
        messages, so the relay resumes at that notification, past the copies stored."""
        if streams.COPY_OF_HEADER in headers:
            return cls(position - 1, (position, subject))
        return cls(position)

    def still_to_publish(self, position: int, messages: list[Outgoing]) -> list[Outgoing]:
        """The messages of the notification at ``position`` not on the stream yet: those
        after the copy found last (all of them if it is none of theirs, the contracts having
        changed since: those still in the dedupe window are then refused as duplicates)."""
        if self.copy is None or self.copy[0] != position:
            return messages
        subjects = [message.event.subject() for message in messages]
        if self.copy[1] not in subjects[:-1]:
            return messages
        return messages[subjects.index(self.copy[1]) + 1:]
