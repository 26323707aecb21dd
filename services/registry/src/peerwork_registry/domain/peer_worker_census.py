"""Where a peer worker is counted: their moves between départements, and their withdrawal
from the census."""

from dataclasses import replace
from datetime import date

from peerwork_common.domain.errors import RuleBrokenError

from .values import check_departement


class PeerWorkerCensus:
    """``PeerWorker``'s moves and withdrawal. The events are declared on the aggregate; the
    methods named after them here apply them."""

    def move(self, departement: str, effective_on: date) -> None:
        departement = check_departement(departement)
        self._check_not_withdrawn("move")
        if effective_on < self.departement_since:
            raise RuleBrokenError(
                f"cannot move on {effective_on}: the peer worker is recorded in "
                f"{self.departement} since {self.departement_since}"
            )
        if departement == self.departement:
            raise RuleBrokenError(f"the peer worker is already in département {departement}")
        self._moved(self.departement, departement, effective_on)

    def _moved(self, from_departement: str, to_departement: str, effective_on: date) -> None:  # PeerWorker.Moved
        self.first_moved_on = self.first_moved_on or effective_on
        self.departement = to_departement
        self.departement_since = effective_on

    def withdraw(self, effective_on: date) -> None:
        self._check_not_withdrawn("withdraw")
        latest = self.latest_fact_on()
        if effective_on < latest:
            raise RuleBrokenError(
                f"cannot withdraw on {effective_on}: a fact about this peer worker took effect "
                f"on {latest}"
            )
        self._withdrawn(self.departement, effective_on)

    def _withdrawn(self, departement: str, effective_on: date) -> None:  # PeerWorker.Withdrawn
        self.withdrawn_on = effective_on
        # Leaving the census ends whatever employment was still going on.
        for employment in self.employments.values():
            if employment.is_open_on(effective_on):
                self.ended_by_withdrawal[employment.employment_id] = employment.ends_on
                self.employments[employment.employment_id] = replace(employment, ends_on=effective_on)

    def latest_fact_on(self) -> date:
        starts = [employment.starts_on for employment in self.employments.values()]
        return max([self.departement_since, *starts])
