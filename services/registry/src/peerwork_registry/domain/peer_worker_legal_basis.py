"""On what basis the platform holds a peer worker's record (legal_basis.py): recorded with
the registration, recorded anew when it changes; a consent can be withdrawn."""

from datetime import date

from peerwork_common.domain.errors import RuleBrokenError

from .legal_basis import Basis, LegalBasis
from .values import check_effective_date


class PeerWorkerLegalBasis:
    """``PeerWorker``'s commands on its legal basis. The events are declared on the
    aggregate; the methods named after them here apply them."""

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

    def _legal_basis_recorded(self, legal_basis: str) -> None:  # PeerWorker.LegalBasisRecorded
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

    def _consent_withdrawn(self, withdrawn_on: date) -> None:  # PeerWorker.ConsentWithdrawn
        self.consent_withdrawn_on = withdrawn_on
