"""A peer worker's record: their registration, their erasure, and every event of the record.

The other commands are in mixins, by what they do: moves and the withdrawal from the census
(``peer_worker_census``), employments (``peer_worker_employments``), the legal basis
(``peer_worker_legal_basis``), corrections (``peer_worker_corrections``), a merge
(``peer_worker_merge``). Their events are declared here all the same, on the aggregate: an
event's topic (``peerwork_registry.domain.peer_worker:PeerWorker.Moved``) is what finds it in
the store, and eventsourcing names it after the class whose body declares it (it reads no
``@event`` on a base class). The mixin's method of the same name applies it.
"""

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from peerwork_common.domain.errors import ErasedError, RuleBrokenError
from peerwork_contracts.vocabulary import InterventionDomain

from .peer_worker_census import PeerWorkerCensus
from .peer_worker_corrections import PeerWorkerCorrections
from .peer_worker_employments import Employment, PeerWorkerEmployments
from .peer_worker_legal_basis import PeerWorkerLegalBasis
from .peer_worker_merge import MergedError, PeerWorkerMerge
from .values import check_departement, check_name


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


class PeerWorker(
    PeerWorkerCensus, PeerWorkerEmployments, PeerWorkerLegalBasis, PeerWorkerCorrections, PeerWorkerMerge, Aggregate
):
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

    # The mixins' events, each applied by the mixin's method of the same name.

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

    class EmploymentCancelled(RecordedOn):
        employment_id: UUID
        structure_id: UUID
        reason: str

    class Reinstated(RecordedOn):
        departement: str
        reopened: list[list]
        reason: str

    class Merged(RecordedOn):
        into: UUID
        reason: str

    _moved = event("Moved")(PeerWorkerCensus._moved)
    _withdrawn = event("Withdrawn")(PeerWorkerCensus._withdrawn)
    _employment_recorded = event(EmploymentRecorded)(PeerWorkerEmployments._employment_recorded)
    _employment_ended = event("EmploymentEnded")(PeerWorkerEmployments._employment_ended)
    _legal_basis_recorded = event("LegalBasisRecorded")(PeerWorkerLegalBasis._legal_basis_recorded)
    _consent_withdrawn = event("ConsentWithdrawn")(PeerWorkerLegalBasis._consent_withdrawn)
    _registration_corrected = event("RegistrationCorrected")(PeerWorkerCorrections._registration_corrected)
    _employment_corrected = event("EmploymentCorrected")(PeerWorkerCorrections._employment_corrected)
    _employment_cancelled = event(EmploymentCancelled)(PeerWorkerCorrections._employment_cancelled)
    _reinstated = event(Reinstated)(PeerWorkerCorrections._reinstated)
    _merged = event(Merged)(PeerWorkerMerge._merged)
    _absorbed = event("Absorbed")(PeerWorkerMerge._absorbed)

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
