"""A peer network's meeting: its day, kind and hours, the peer workers named and the others counted."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from peerwork_common.domain.errors import InvalidValueError
from peerwork_common.domain.values import check_effective_date
from peerwork_contracts.vocabulary import MeetingKind

# More than anyone's meeting lasts; a typing slip otherwise (30 for 3.0).
MAX_MEETING_HOURS = 24.0


@dataclass(frozen=True)
class Meeting:
    meeting_id: UUID
    held_on: date
    kind: MeetingKind
    hours: float
    peer_worker_ids: tuple[UUID, ...]
    other_participants: int

    @classmethod
    def of(
        cls, meeting_id: UUID, held_on: date, kind: MeetingKind, hours: float, peer_worker_ids: tuple[UUID, ...],
        other_participants: int,
    ) -> "Meeting":
        """The meeting as recorded, checked."""
        if not 0 < hours <= MAX_MEETING_HOURS:
            raise InvalidValueError(f"a meeting lasts more than 0 and at most {MAX_MEETING_HOURS:g} hours")
        if other_participants < 0:
            raise InvalidValueError("other_participants counts people: 0 or more")
        if len(set(peer_worker_ids)) != len(peer_worker_ids):
            raise InvalidValueError("each peer worker is named once per meeting")
        if not peer_worker_ids and not other_participants:
            raise InvalidValueError("a meeting has participants: name its peer workers, or count the others")
        return cls(
            meeting_id, check_effective_date(held_on), MeetingKind(kind), float(hours), tuple(peer_worker_ids),
            other_participants,
        )

    def fields(self) -> tuple:
        """The meeting as its events store it: plain values."""
        return (
            self.meeting_id, self.held_on, self.kind.value, self.hours, list(self.peer_worker_ids),
            self.other_participants,
        )
