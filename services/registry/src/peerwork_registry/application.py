"""The registry's application and its use cases: load, act, save, return.

Those on a peer worker's record are here; those on partner structures, hirings and
corrections are in ``use_cases``, mixins that ``Registry`` takes.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from uuid import UUID

from peerwork_common.domain.errors import ErasedError
from peerwork_common.eventstore.application import WriteApplication
from peerwork_contracts.vocabulary import InterventionDomain

from .domain.legal_basis import LegalBasis
from .domain.peer_worker import PeerWorker
from .domain.peer_worker_merge import MergedError
from .domain.values import check_effective_date
from .use_cases.hirings import HiringUseCases
from .use_cases.peer_worker_corrections import PeerWorkerCorrectionUseCases
from .use_cases.structures import StructureUseCases


class Registry(StructureUseCases, HiringUseCases, PeerWorkerCorrectionUseCases, WriteApplication):
    name = "registry"
    migrations = (Path(__file__).with_name("migrations"),)
    # A correction's reason is free text about a person, and the legal basis of their record
    # says whether they consented to it: both sealed with their key, and erased with it.
    personal_fields = frozenset({"display_name", "reason", "legal_basis"})

    def register_peer_worker(
        self,
        display_name: str,
        departement: str,
        domains: list[InterventionDomain],
        registered_on: date,
        legal_basis: LegalBasis,
    ) -> UUID:
        check_effective_date(registered_on)
        peer_worker = PeerWorker.register(display_name, departement, domains, registered_on)
        peer_worker.record_legal_basis(legal_basis)
        self.save(peer_worker)
        return peer_worker.id

    def get_peer_worker(self, peer_worker_id: UUID, within: Callable[[str], bool] | None = None) -> PeerWorker:
        """The peer worker; NotFoundError also when ``within`` does not take their
        département, ErasedError once their record was erased, MergedError once it was
        merged into another."""
        peer_worker = self.load(PeerWorker, peer_worker_id, "peer worker", within)
        if peer_worker.merged_into is not None:
            raise MergedError(peer_worker_id, peer_worker.merged_into)
        if peer_worker.erased_on is not None:
            raise ErasedError(
                f"the record of peer worker {peer_worker_id} was erased on {peer_worker.erased_on} "
                "at the person's request"
            )
        return peer_worker

    def record_employment(
        self, peer_worker_id: UUID, structure_id: UUID, starts_on: date, ends_on: date | None
    ) -> UUID:
        check_effective_date(starts_on)
        self.get_structure(structure_id)
        peer_worker = self.get_peer_worker(peer_worker_id)
        employment_id = peer_worker.record_employment(structure_id, starts_on, ends_on)
        self.save_changes(peer_worker)
        return employment_id

    def end_employment(self, peer_worker_id: UUID, employment_id: UUID, ends_on: date) -> None:
        check_effective_date(ends_on)
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.end_employment(employment_id, ends_on)
        self.save_changes(peer_worker)

    def move_peer_worker(self, peer_worker_id: UUID, departement: str, effective_on: date) -> None:
        check_effective_date(effective_on)
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.move(departement, effective_on)
        self.save_changes(peer_worker)

    def erase_peer_worker(
        self, peer_worker_id: UUID, erased_on: date, before_destroying_key: Callable[[], object] = lambda: None
    ) -> bool:
        """Erases the peer worker's record (``PeerWorker.erase``), then destroys the key of
        their personal fields; False while copies of it may still be on disk (they are
        cleared in the background). Erasing again finishes an erasure that stopped halfway.
        ``before_destroying_key`` runs once the erasure is saved: what it deletes (the
        person's rows in a read model) is cleared from the disk with the key."""
        peer_worker = self.load(PeerWorker, peer_worker_id, "peer worker")
        peer_worker.erase(erased_on)
        self.save_changes(peer_worker)
        # The same person's other records, merged into this one, go with it.
        cleared = [
            self.erase_peer_worker(merged_id, erased_on, before_destroying_key) for merged_id in peer_worker.absorbed
        ]
        before_destroying_key()
        return self.erase_personal_data(peer_worker_id) and all(cleared)

    def records_of_person(self, peer_worker_id: UUID) -> list[UUID]:
        """The peer worker's record and those merged into it (through earlier merges too)."""
        peer_worker = self.load(PeerWorker, peer_worker_id, "peer worker")
        return [peer_worker_id, *(r for merged_id in peer_worker.absorbed for r in self.records_of_person(merged_id))]

    def record_legal_basis(self, peer_worker_id: UUID, legal_basis: LegalBasis) -> None:
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.record_legal_basis(legal_basis)
        self.save_changes(peer_worker)

    def withdraw_consent(self, peer_worker_id: UUID, withdrawn_on: date) -> None:
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.withdraw_consent(withdrawn_on)
        self.save_changes(peer_worker)

    def withdraw_peer_worker(self, peer_worker_id: UUID, effective_on: date) -> None:
        check_effective_date(effective_on)
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.withdraw(effective_on)
        self.save_changes(peer_worker)

