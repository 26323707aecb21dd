from dataclasses import replace
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from peerwork_common.domain.errors import InvalidValueError, NotFoundError, RuleBrokenError
from peerwork_common.domain.values import check_departement, check_effective_date, check_name
from peerwork_contracts.vocabulary import Audience, TrainingKind

from .enrolment import Enrolment, enrolment_seats


class TrainingSession(Aggregate):
    """A session the platform delivers: awareness, training, peer meeting...

    It is planned, so its dates may lie in the future; what is recorded about it (the
    scheduling, enrolments, attendance) may not. No session is a prerequisite of anything.
    """

    @classmethod
    def schedule(
        cls,
        title: str,
        kind: TrainingKind,
        audience: Audience,
        departement: str,
        starts_on: date,
        ends_on: date | None,
        duration_hours: float,
        capacity: int,
        scheduled_on: date,
    ) -> "TrainingSession":
        ends_on = ends_on or starts_on
        if ends_on < starts_on:
            raise InvalidValueError(f"the session cannot end ({ends_on}) before it starts ({starts_on})")
        if duration_hours <= 0:
            raise InvalidValueError("the duration is a positive number of hours")
        if capacity < 1:
            raise InvalidValueError("the capacity is at least one seat")
        return cls(
            title=check_name(title, "title"),
            kind=TrainingKind(kind).value,
            audience=Audience(audience).value,
            departement=check_departement(departement),
            starts_on=starts_on,
            ends_on=ends_on,
            duration_hours=float(duration_hours),
            capacity=capacity,
            scheduled_on=check_effective_date(scheduled_on),
        )

    @event("Scheduled")
    def __init__(
        self,
        title: str,
        kind: str,
        audience: str,
        departement: str,
        starts_on: date,
        ends_on: date,
        duration_hours: float,
        capacity: int,
        scheduled_on: date,
    ) -> None:
        self.title = title
        self.kind = TrainingKind(kind)
        self.audience = Audience(audience)
        self.departement = departement
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.duration_hours = duration_hours
        self.capacity = capacity
        self.scheduled_on = scheduled_on
        self.enrolments: dict[UUID, Enrolment] = {}
        self.completed_on: date | None = None
        self.cancelled_on: date | None = None

    @property
    def seats_taken(self) -> int:
        return sum(enrolment.seats for enrolment in self.enrolments.values())

    @property
    def participants(self) -> int:
        return sum(enrolment.attended or 0 for enrolment in self.enrolments.values())

    def enrol(
        self,
        enrolled_on: date,
        *,
        peer_worker_id: UUID | None = None,
        structure_id: UUID | None = None,
        seats: int | None = None,
    ) -> Enrolment:
        """Enrols a peer worker, or ``seats`` members of a structure's staff."""
        seats = enrolment_seats(peer_worker_id, structure_id, seats)
        self._check_open("enrol anyone")
        check_effective_date(enrolled_on)
        if enrolled_on < self.scheduled_on:
            raise RuleBrokenError(f"the session was only scheduled on {self.scheduled_on}")
        if peer_worker_id is not None and any(
            e.peer_worker_id == peer_worker_id for e in self.enrolments.values()
        ):
            raise RuleBrokenError("this peer worker is already enrolled in the session")
        free = self.capacity - self.seats_taken
        if seats > free:
            raise RuleBrokenError(
                f"the session is full: {free} of its {self.capacity} seats are left, {seats} asked"
            )
        enrolment_id = uuid4()
        self._participant_enrolled(
            self.kind.value, self.audience.value, self.departement,
            enrolment_id, peer_worker_id, structure_id, seats, enrolled_on,
        )
        return self.enrolments[enrolment_id]

    @event("ParticipantEnrolled")
    def _participant_enrolled(
        self,
        kind: str,
        audience: str,
        departement: str,
        enrolment_id: UUID,
        peer_worker_id: UUID | None,
        structure_id: UUID | None,
        seats: int,
        enrolled_on: date,
    ) -> None:
        self.enrolments[enrolment_id] = Enrolment(
            enrolment_id, peer_worker_id, structure_id, seats, enrolled_on
        )

    def record_attendance(self, enrolment_id: UUID, attended: int, recorded_on: date) -> Enrolment:
        """How many of the enrolment's seats were present; recorded again, it corrects."""
        enrolment = self.enrolments.get(enrolment_id)
        if enrolment is None:
            raise NotFoundError(f"the session has no enrolment {enrolment_id}")
        enrolment.check_attended(attended)
        self._check_open("record attendance")
        check_effective_date(recorded_on)
        if recorded_on < self.starts_on:
            raise RuleBrokenError(
                f"attendance is recorded once the session has begun, on {self.starts_on}"
            )
        self._attendance_recorded(
            self.kind.value, self.audience.value, self.departement, enrolment_id, attended, recorded_on
        )
        return self.enrolments[enrolment_id]

    @event("AttendanceRecorded")
    def _attendance_recorded(
        self,
        kind: str,
        audience: str,
        departement: str,
        enrolment_id: UUID,
        attended: int,
        recorded_on: date,
    ) -> None:
        self.enrolments[enrolment_id] = replace(self.enrolments[enrolment_id], attended=attended)

    def complete(self, completed_on: date) -> None:
        """The session was delivered; its figures are those of the attendance recorded."""
        self._check_open("complete it")
        check_effective_date(completed_on)
        if completed_on < self.ends_on:
            raise RuleBrokenError(f"the session is complete once its last day, {self.ends_on}, is over")
        missing = [str(e.enrolment_id) for e in self.enrolments.values() if e.attended is None]
        if missing:
            raise RuleBrokenError(
                "record the attendance of every enrolment first; missing: " + ", ".join(missing)
            )
        self._completed(
            self.kind.value, self.audience.value, self.departement,
            self.duration_hours, self.participants, self.ends_on, completed_on,
        )

    @event("Completed")
    def _completed(
        self,
        kind: str,
        audience: str,
        departement: str,
        duration_hours: float,
        participants: int,
        ends_on: date,  # the day it was delivered, for the figures of that year
        completed_on: date,
    ) -> None:
        self.completed_on = completed_on

    def cancel(self, cancelled_on: date) -> None:
        self._check_open("cancel it")
        check_effective_date(cancelled_on)
        if cancelled_on < self.scheduled_on:
            raise RuleBrokenError(f"the session was only scheduled on {self.scheduled_on}")
        self._cancelled(self.kind.value, self.audience.value, self.departement, cancelled_on)

    @event("Cancelled")
    def _cancelled(self, kind: str, audience: str, departement: str, cancelled_on: date) -> None:
        self.cancelled_on = cancelled_on

    def _check_open(self, action: str) -> None:
        if self.cancelled_on is not None:
            raise RuleBrokenError(f"cannot {action}: the session was cancelled on {self.cancelled_on}")
        if self.completed_on is not None:
            raise RuleBrokenError(f"cannot {action}: the session was completed on {self.completed_on}")
