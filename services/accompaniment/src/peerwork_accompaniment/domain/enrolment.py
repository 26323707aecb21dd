"""Who takes a training session's seats: a peer worker, or some of a structure's staff."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from peerwork_common.domain.errors import InvalidValueError


@dataclass(frozen=True)
class Enrolment:
    """A peer worker (one seat), or some of a structure's staff (``seats`` seats)."""

    enrolment_id: UUID
    peer_worker_id: UUID | None
    structure_id: UUID | None
    seats: int
    enrolled_on: date
    attended: int | None = None  # None until attendance is recorded

    def check_attended(self, attended: int) -> None:
        if not 0 <= attended <= self.seats:
            raise InvalidValueError(
                f"attended counts who came of the enrolment's {self.seats} seat(s): from 0 to {self.seats}"
            )


def enrolment_seats(peer_worker_id: UUID | None, structure_id: UUID | None, seats: int | None) -> int:
    """The seats an enrolment takes: one for a peer worker, ``seats`` for a structure's staff."""
    if (peer_worker_id is None) == (structure_id is None):
        raise InvalidValueError(
            "enrol either a peer worker (peer_worker_id) or a structure's staff "
            "(structure_id and seats), not both"
        )
    if peer_worker_id is not None:
        if seats not in (None, 1):
            raise InvalidValueError("a peer worker takes one seat")
        return 1
    if seats is None or seats < 1:
        raise InvalidValueError("say how many of the structure's staff enrol: seats ≥ 1")
    return seats
