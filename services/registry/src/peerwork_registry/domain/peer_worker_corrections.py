"""Corrections of a peer worker's record.

Corrections put a mistake right: the record then reads, and counts, as if it had never
been made. Each says why (``reason``, a personal field: it stays in the registry).
"""

from dataclasses import replace
from datetime import date
from uuid import UUID

from peerwork_common.domain.errors import NotFoundError, RuleBrokenError
from peerwork_contracts.calendar import today
from peerwork_contracts.vocabulary import InterventionDomain

from .peer_worker_employments import Employment
from .values import check_departement, check_reason


class PeerWorkerCorrections:
    """``PeerWorker``'s corrections. The events are declared on the aggregate; the methods
    named after them here apply them."""

    def correct_registration(
        self,
        departement: str | None,
        registered_on: date | None,
        domains: list[InterventionDomain] | None,
        reason: str,
    ) -> None:
        """What was typed at registration, put right: the département registered in (not a
        move), the date, the domains; a field left out stays as it is."""
        self._check_current("correct the registration")
        departement = self.registered_in if departement is None else check_departement(departement)
        registered_on = registered_on or self.registered_on
        corrected = self.domains if domains is None else tuple(
            sorted({InterventionDomain(domain) for domain in domains}, key=lambda d: d.value)
        )
        if not corrected:
            raise RuleBrokenError("a peer worker needs at least one domain of intervention")
        if (departement, registered_on, set(corrected)) == (self.registered_in, self.registered_on, set(self.domains)):
            raise RuleBrokenError("the correction changes nothing: the registration already reads so")
        self._check_registered_before(registered_on)
        now_in = self.departement if self.first_moved_on else departement
        self._registration_corrected(
            departement, registered_on, [domain.value for domain in corrected], now_in, check_reason(reason)
        )

    def _check_registered_before(self, registered_on: date) -> None:
        later = [
            (self.first_moved_on, "the first move"),
            (self.withdrawn_on, "the withdrawal"),
            *((e.starts_on, f"employment {e.employment_id}'s start") for e in self.employments.values()),
        ]
        for day, what in sorted((fact for fact in later if fact[0] is not None), key=lambda fact: fact[0]):
            if registered_on > day:
                raise RuleBrokenError(f"the registration cannot be after {what} ({day})")

    def _registration_corrected(  # PeerWorker.RegistrationCorrected
        self, departement: str, registered_on: date, domains: list[str], now_in: str, reason: str
    ) -> None:
        """``now_in``: where they are now, for whoever follows only that (a later move stands)."""
        self.departement = now_in
        if self.first_moved_on is None:
            self.departement_since = registered_on
        self.registered_in = departement
        self.registered_on = registered_on
        self.domains = tuple(InterventionDomain(domain) for domain in domains)

    def correct_employment(
        self, employment_id: UUID, starts_on: date, ends_on: date | None, reason: str
    ) -> None:
        """An employment's dates, put right."""
        employment = self._employment(employment_id, "correct an employment")
        if (starts_on, ends_on) == (employment.starts_on, employment.ends_on):
            raise RuleBrokenError("the correction changes nothing: the employment already has these dates")
        if starts_on < self.registered_on:
            raise RuleBrokenError(
                f"an employment cannot start before the peer worker's registration ({self.registered_on})"
            )
        if ends_on is not None and ends_on <= starts_on:
            raise RuleBrokenError("an employment must end after the day it starts")
        if self.withdrawn_on is not None and (ends_on is None or ends_on > self.withdrawn_on):
            raise RuleBrokenError(
                f"the peer worker was withdrawn on {self.withdrawn_on}: the employment ends by then"
            )
        if ends_on is None and any(
            other.structure_id == employment.structure_id and other.ends_on is None
            for other in self.employments.values() if other.employment_id != employment_id
        ):
            raise RuleBrokenError("the peer worker is already employed by this structure")
        self._employment_corrected(
            employment_id, employment.structure_id, starts_on, ends_on, check_reason(reason)
        )

    def _employment_corrected(  # PeerWorker.EmploymentCorrected
        self, employment_id: UUID, structure_id: UUID, starts_on: date, ends_on: date | None, reason: str
    ) -> None:
        self.employments[employment_id] = replace(
            self.employments[employment_id], structure_id=structure_id, starts_on=starts_on, ends_on=ends_on
        )
        # Its dates are now the ones corrected, whatever a reinstatement reopens.
        self.ended_by_withdrawal.pop(employment_id, None)

    def cancel_employment(self, employment_id: UUID, reason: str) -> None:
        """An employment recorded by mistake: it never was. One recorded from a hiring is
        cancelled by retracting the hiring, in its accompaniment (``cancel_hiring``): else the
        accompaniment would go on saying the structure hired."""
        employment = self._employment(employment_id, "cancel an employment")
        if (accompaniment_id := employment.accompaniment_id) is not None:
            raise RuleBrokenError(
                f"employment {employment_id} was recorded from a hiring of accompaniment {accompaniment_id}: "
                f"retract that hiring there (POST /accompaniments/{accompaniment_id}/milestones/"
                "peer_worker_hired/retract), which cancels this employment too"
            )
        self._employment_cancelled(employment_id, employment.structure_id, check_reason(reason), today())

    def cancel_hiring(self, hiring_id: UUID, accompaniment_id: UUID) -> None:
        """The hiring ``hiring_id`` was retracted in ``accompaniment_id``: the employment
        recorded from it (the same id) never was."""
        employment = self._employment(hiring_id, "cancel a hiring")
        self._employment_cancelled(
            hiring_id, employment.structure_id, f"the hiring was retracted in accompaniment {accompaniment_id}",
            today(),
        )

    def _employment_cancelled(  # PeerWorker.EmploymentCancelled
        self, employment_id: UUID, structure_id: UUID, reason: str, recorded_on: date
    ) -> None:
        del self.employments[employment_id]
        self.ended_by_withdrawal.pop(employment_id, None)
        self.cancelled_employments.append(employment_id)

    def reinstate(self, reason: str) -> None:
        """A withdrawal recorded by mistake: it never happened, and the employments it ended
        are open again as they were (or end when they were known to)."""
        self._check_current("reinstate")
        if self.withdrawn_on is None:
            raise RuleBrokenError("the peer worker is not withdrawn: there is nothing to reinstate")
        reopened = [[employment_id, ends_on] for employment_id, ends_on in self.ended_by_withdrawal.items()]
        self._reinstated(self.departement, reopened, check_reason(reason), today())

    def _reinstated(  # PeerWorker.Reinstated
        self, departement: str, reopened: list[list], reason: str, recorded_on: date
    ) -> None:
        """``reopened``: [employment id, end before the withdrawal] (a list: JSON keys are text)."""
        self.withdrawn_on = None
        for employment_id, ends_on in reopened:
            self.employments[employment_id] = replace(self.employments[employment_id], ends_on=ends_on)
        self.ended_by_withdrawal = {}

    def _employment(self, employment_id: UUID, action: str) -> Employment:
        self._check_current(action)
        employment = self.employments.get(employment_id)
        if employment is None:
            raise NotFoundError(f"the peer worker has no employment {employment_id}")
        return employment
