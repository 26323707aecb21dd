from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from peerwork_common.domain.errors import DomainError, ErasedError, NotFoundError, RuleBrokenError
from peerwork_contracts.calendar import today
from peerwork_contracts.vocabulary import InterventionDomain

from .legal_basis import Basis, LegalBasis
from .values import check_departement, check_effective_date, check_name, check_reason


class MergedError(DomainError):
    """The command or read names a record merged into another one, which ``into`` names."""

    def __init__(self, merged_id: UUID, into: UUID) -> None:
        super().__init__(
            f"peer worker {merged_id} was registered twice and merged into {into}: use that record"
        )
        self.into = into


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


class RecordedOn(Aggregate.Event):
    """A correction with no date of its own, dated by the day it was recorded (in France).

    Version 1 carried no date: it was published dated by the UTC day of its timestamp, the
    day before in France for a correction recorded between midnight and 1 or 2 a.m."""

    recorded_on: date
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # The day it was published with, so that it reads as it was published.
        state["recorded_on"] = state["timestamp"].date()


class PeerWorker(Aggregate):
    """A person whose lived experience is their professional expertise.

    The display name stays in the registry, encrypted with a key of the person's own (the
    application's ``personal_fields``); everything published names them by id only.
    """

    @classmethod
    def register(
        cls,
        display_name: str | None,
        departement: str,
        domains: list[InterventionDomain],
        registered_on: date,
        *,
        peer_worker_id: UUID | None = None,
    ) -> "PeerWorker":
        """``display_name`` is None when the registration comes from a hiring on the bus,
        which never carries a name; ``peer_worker_id`` is then the id the hiring chose."""
        if not domains:
            raise RuleBrokenError("a peer worker needs at least one domain of intervention")
        return cls(
            id=peer_worker_id or uuid4(),
            display_name=None if display_name is None else check_name(display_name, "display name"),
            departement=check_departement(departement),
            domains=sorted({InterventionDomain(domain).value for domain in domains}),
            effective_on=registered_on,
        )

    @event("Registered")
    def __init__(
        self,
        id: UUID,  # noqa: A002 - eventsourcing takes the new aggregate's id from here
        display_name: str | None,
        departement: str,
        domains: list[str],
        effective_on: date,
    ) -> None:
        self.display_name = display_name
        self.departement = departement
        self.domains = tuple(InterventionDomain(domain) for domain in domains)
        self.registered_on = effective_on
        self.departement_since = effective_on
        self.registered_in = departement
        self.first_moved_on: date | None = None
        self.withdrawn_on: date | None = None
        self.erased_on: date | None = None
        self.merged_into: UUID | None = None
        self.employments: dict[UUID, Employment] = {}
        # What the withdrawal ended, and how each stood before, for a reinstatement.
        self.ended_by_withdrawal: dict[UUID, date | None] = {}
        # Never recorded again, even by a hiring delivered anew.
        self.cancelled_employments: list[UUID] = []  # a list: snapshots are JSON
        self.absorbed: list[UUID] = []  # records merged into this one, erased with it
        # As stored (``LegalBasis.as_stored``): a personal field, None once erased, and
        # None for a registration by a hiring until staff record it.
        self.legal_basis: str | None = None
        self.consent_withdrawn_on: date | None = None

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

    class EmploymentRecorded(Aggregate.Event):
        employment_id: UUID
        structure_id: UUID
        starts_on: date
        ends_on: date | None
        accompaniment_id: UUID | None

        # Version 2 names the accompaniment whose hiring the employment was recorded from.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            # Recorded before hirings were marked: not known as one (see deploy/README.md).
            state["accompaniment_id"] = None

    @event(EmploymentRecorded)
    def _employment_recorded(
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

    @event("EmploymentEnded")
    def _employment_ended(self, employment_id: UUID, structure_id: UUID, ends_on: date) -> None:
        self.employments[employment_id] = replace(self.employments[employment_id], ends_on=ends_on)

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

    @event("Moved")
    def _moved(self, from_departement: str, to_departement: str, effective_on: date) -> None:
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

    @event("Withdrawn")
    def _withdrawn(self, departement: str, effective_on: date) -> None:
        self.withdrawn_on = effective_on
        # Leaving the census ends whatever employment was still going on.
        for employment in self.employments.values():
            if employment.is_open_on(effective_on):
                self.ended_by_withdrawal[employment.employment_id] = employment.ends_on
                self.employments[employment.employment_id] = replace(employment, ends_on=effective_on)

    # On what basis the platform holds the record (legal_basis.py): recorded with the
    # registration, recorded anew when it changes; a consent can be withdrawn.

    @property
    def basis(self) -> LegalBasis | None:
        return None if self.legal_basis is None else LegalBasis.stored(self.legal_basis)

    def record_legal_basis(self, legal_basis: LegalBasis) -> None:
        self._check_current("record a legal basis")
        if legal_basis == self.basis:
            raise RuleBrokenError("this legal basis is already the one recorded")
        if legal_basis.consent_given_on is not None:
            check_effective_date(legal_basis.consent_given_on)
        self._legal_basis_recorded(legal_basis.as_stored())

    @event("LegalBasisRecorded")
    def _legal_basis_recorded(self, legal_basis: str) -> None:
        self.legal_basis = legal_basis

    def withdraw_consent(self, withdrawn_on: date) -> None:
        """The person withdrew the consent the record rests on (art. 7(3)): the record is
        then kept only for the counts already made. They leave the census that day (or on
        its latest fact, if later), and the record takes no command but its erasure."""
        self._check_current("withdraw the consent")
        basis = self.basis
        if basis is None or basis.basis is not Basis.EXPLICIT_CONSENT:
            rests_on = "no legal basis recorded" if basis is None else basis.basis.value
            raise RuleBrokenError(f"the record rests on {rests_on}, not on a consent: there is no consent to withdraw")
        check_effective_date(withdrawn_on)
        if withdrawn_on < basis.consent_given_on:
            raise RuleBrokenError(f"the consent was given on {basis.consent_given_on}: it is withdrawn after")
        if self.withdrawn_on is None:
            self._withdrawn(self.departement, max(withdrawn_on, self.latest_fact_on()))
        self._consent_withdrawn(withdrawn_on)

    @event("ConsentWithdrawn")
    def _consent_withdrawn(self, withdrawn_on: date) -> None:
        self.consent_withdrawn_on = withdrawn_on

    # Corrections put a mistake right: the record then reads, and counts, as if it had never
    # been made. Each says why (``reason``, a personal field: it stays in the registry).

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

    @event("RegistrationCorrected")
    def _registration_corrected(
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

    @event("EmploymentCorrected")
    def _employment_corrected(
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

    class EmploymentCancelled(RecordedOn):
        employment_id: UUID
        structure_id: UUID
        reason: str

    @event(EmploymentCancelled)
    def _employment_cancelled(
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

    class Reinstated(RecordedOn):
        departement: str
        reopened: list[list]
        reason: str

    @event(Reinstated)
    def _reinstated(
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

    # A person registered twice: one record (the survivor) takes in the other, which then
    # only points to it.

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

    class Merged(RecordedOn):
        into: UUID
        reason: str

    @event(Merged)
    def _merged(self, into: UUID, reason: str, recorded_on: date) -> None:
        self.merged_into = into
        self.employments = {}  # moved to the survivor

    @event("Absorbed")
    def _absorbed(self, merged_id: UUID, reason: str) -> None:
        self.absorbed.append(merged_id)

    def erase(self, erased_on: date) -> None:
        """Erases the record at the person's request (GDPR art. 17). The display name goes
        with its key, which the application destroys; the anonymous facts stay, so that past
        counts do not change, and a person still in the census leaves it. Erasing twice
        changes nothing."""
        if self.erased_on is not None:
            return
        if self.withdrawn_on is None and self.merged_into is None:
            self._withdrawn(self.departement, max(erased_on, self.latest_fact_on()))
        self._erased(erased_on)

    @event("Erased")
    def _erased(self, effective_on: date) -> None:
        self.erased_on = effective_on
        self.display_name = None
        self.legal_basis = None

    def latest_fact_on(self) -> date:
        starts = [employment.starts_on for employment in self.employments.values()]
        return max([self.departement_since, *starts])

    def _check_not_withdrawn(self, action: str) -> None:
        self._check_current(action)
        if self.withdrawn_on is not None:
            raise RuleBrokenError(
                f"cannot {action}: the peer worker was withdrawn on {self.withdrawn_on}"
            )

    def _check_current(self, action: str) -> None:
        """Neither erased nor merged, nor kept only for past counts: a withdrawn record may
        still be corrected."""
        if self.merged_into is not None:
            raise MergedError(self.id, self.merged_into)
        if self.erased_on is not None:
            raise ErasedError(f"cannot {action}: the peer worker's record was erased on {self.erased_on}")
        if self.consent_withdrawn_on is not None:
            raise RuleBrokenError(
                f"cannot {action}: the person withdrew their consent on {self.consent_withdrawn_on}; "
                "the record is kept only for the counts already made, and is erased at their request"
            )
