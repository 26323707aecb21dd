"""A peer worker's employments by partner structures: recorded, then ended."""

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid4

from peerwork_common.domain.errors import NotFoundError, RuleBrokenError


@dataclass(frozen=True)
class Employment:
    employment_id: UUID
    structure_id: UUID
    starts_on: date
    ends_on: date | None  # the first day no longer employed
    # The accompaniment whose hiring it was recorded from: that hiring is what is retracted.
    accompaniment_id: UUID | None = None

    def is_open_on(self, day: date) -> bool:
        return self.ends_on is None or self.ends_on > day


class PeerWorkerEmployments:
    """``PeerWorker``'s commands on its employments. The events are declared on the
    aggregate; the methods named after them here apply them."""

    def record_employment(
        self,
        structure_id: UUID,
        starts_on: date,
        ends_on: date | None,
        *,
        employment_id: UUID | None = None,
        accompaniment_id: UUID | None = None,
    ) -> UUID:
        """``employment_id`` is given by a hiring, of ``accompaniment_id``: recording the same
        hiring twice is a no-op."""
        if employment_id in self.employments or employment_id in self.cancelled_employments:
            return employment_id
        self._check_not_withdrawn("record an employment")
        if starts_on < self.registered_on:
            raise RuleBrokenError(
                f"an employment cannot start before the peer worker's registration "
                f"({self.registered_on})"
            )
        if ends_on is not None and ends_on <= starts_on:
            raise RuleBrokenError("an employment must end after the day it starts")
        if any(e.structure_id == structure_id and e.ends_on is None for e in self.employments.values()):
            raise RuleBrokenError("the peer worker is already employed by this structure")
        employment_id = employment_id or uuid4()
        self._employment_recorded(employment_id, structure_id, starts_on, ends_on, accompaniment_id)
        return employment_id

    def _employment_recorded(  # PeerWorker.EmploymentRecorded
        self, employment_id: UUID, structure_id: UUID, starts_on: date, ends_on: date | None,
        accompaniment_id: UUID | None,
    ) -> None:
        self.employments[employment_id] = Employment(employment_id, structure_id, starts_on, ends_on, accompaniment_id)

    def end_employment(self, employment_id: UUID, ends_on: date) -> None:
        employment = self.employments.get(employment_id)
        if employment is None:
            raise NotFoundError(f"the peer worker has no employment {employment_id}")
        self._check_not_withdrawn("end an employment")
        if employment.ends_on is not None:
            raise RuleBrokenError(f"this employment already ended on {employment.ends_on}")
        if ends_on <= employment.starts_on:
            raise RuleBrokenError(
                f"an employment must end after the day it starts ({employment.starts_on})"
            )
        self._employment_ended(employment_id, employment.structure_id, ends_on)

    def _employment_ended(  # PeerWorker.EmploymentEnded
        self, employment_id: UUID, structure_id: UUID, ends_on: date
    ) -> None:
        self.employments[employment_id] = replace(self.employments[employment_id], ends_on=ends_on)
