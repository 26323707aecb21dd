"""A person registered twice: one record (the survivor) takes in the other, which then only
points to it."""

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from peerwork_common.domain.errors import DomainError, RuleBrokenError
from peerwork_contracts.calendar import today

from .values import check_reason

if TYPE_CHECKING:
    from .peer_worker import PeerWorker


class MergedError(DomainError):
    """The command or read names a record merged into another one, which ``into`` names."""

    def __init__(self, merged_id: UUID, into: UUID) -> None:
        super().__init__(
            f"peer worker {merged_id} was registered twice and merged into {into}: use that record"
        )
        self.into = into


class PeerWorkerMerge:
    """``PeerWorker``'s merge. The events are declared on the aggregate; the methods named
    after them here apply them."""

    def merge_into(self, survivor: "PeerWorker", reason: str) -> None:
        """Moves this record's employments to ``survivor``, which counts from the earlier of
        the two registrations and with both records' domains; the survivor's département
        stands (a wrong one is corrected on it afterwards)."""
        for record in (self, survivor):
            record._check_not_withdrawn("merge")
        if survivor.id == self.id:
            raise RuleBrokenError("a record cannot be merged into itself")
        employers = {e.structure_id for e in survivor.employments.values() if e.ends_on is None}
        for employment in self.employments.values():
            if employment.ends_on is None and employment.structure_id in employers:
                raise RuleBrokenError(
                    f"both records are employed by structure {employment.structure_id}: cancel or "
                    f"end employment {employment.employment_id} before the merge"
                )
        reason = check_reason(reason)
        moved = list(self.employments.values())
        self._merged(survivor.id, reason, today())
        survivor._absorbed(self.id, reason)
        registered_on = min(self.registered_on, survivor.registered_on)
        domains = sorted({domain.value for domain in (*self.domains, *survivor.domains)})
        if (registered_on, domains) != (survivor.registered_on, [d.value for d in survivor.domains]):
            survivor._registration_corrected(
                survivor.registered_in, registered_on, domains, survivor.departement, reason
            )
        for employment in moved:
            survivor._employment_recorded(
                employment.employment_id, employment.structure_id, employment.starts_on, employment.ends_on,
                employment.accompaniment_id,
            )

    def _merged(self, into: UUID, reason: str, recorded_on: date) -> None:  # PeerWorker.Merged
        self.merged_into = into
        self.employments = {}  # moved to the survivor

    def _absorbed(self, merged_id: UUID, reason: str) -> None:  # PeerWorker.Absorbed
        self.absorbed.append(merged_id)
