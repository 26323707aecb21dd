"""The registry's use cases: load, act, save, return."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Tracking

from peerwork_common.domain.errors import DomainError, ErasedError, NotFoundError, RuleBrokenError
from peerwork_common.eventstore.application import WriteApplication
from peerwork_contracts.vocabulary import InterventionDomain, Sector

from .domain.legal_basis import LegalBasis
from .domain.partner_structure import PartnerStructure
from .domain.peer_worker import PeerWorker
from .domain.peer_worker_merge import MergedError
from .domain.values import check_effective_date
from .structure_keys import StructureKeys, rekeyed


class Registry(WriteApplication):
    name = "registry"
    migrations = (Path(__file__).with_name("migrations"),)
    # A correction's reason is free text about a person, and the legal basis of their record
    # says whether they consented to it: both sealed with their key, and erased with it.
    personal_fields = frozenset({"display_name", "reason", "legal_basis"})

    def register_structure(
        self,
        name: str,
        siret: str | None,
        departement: str,
        sector: Sector,
        effective_on: date,
        *,
        despite_same_name: bool = False,
    ) -> UUID:
        """DuplicateError when another structure has the SIRET, or a name that reads the
        same in the département (unless ``despite_same_name``)."""
        check_effective_date(effective_on)
        structure = PartnerStructure.register(name, siret, departement, sector, effective_on)
        self._save_with_keys(structure, StructureKeys(None, None), despite_same_name)
        return structure.id

    def get_structure(self, structure_id: UUID, within: Callable[[str], bool] | None = None) -> PartnerStructure:
        return self.load(PartnerStructure, structure_id, "partner structure", within)

    def correct_structure(
        self,
        structure_id: UUID,
        reason: str,
        changes: dict[str, str | None],
        *,
        despite_same_name: bool = False,
        within: Callable[[str], bool] | None = None,
    ) -> PartnerStructure:
        """Corrects the structure (``PartnerStructure.correct``): a SIRET or name corrected
        away is released, the corrected one claimed, in the same save."""
        structure = self.get_structure(structure_id, within)
        before = StructureKeys.of(structure)
        structure.correct(reason, **changes)
        self._save_with_keys(structure, before, despite_same_name)
        return structure

    def _save_with_keys(self, structure: PartnerStructure, before: "StructureKeys", despite_same_name: bool) -> None:
        try:
            self.save(structure, *rekeyed(self.repository, structure, before, despite_same_name))
        except IntegrityError:
            # Another command took a key (or changed the structure) meanwhile: a key now
            # held by another structure is named (DuplicateError); else, try again.
            rekeyed(self.repository, structure, before, despite_same_name)
            raise RuleBrokenError("the record changed while this command ran: read it again and retry") from None

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

    def record_hiring(
        self,
        tracking: Tracking,
        *,
        hiring_id: UUID,
        peer_worker_id: UUID,
        structure_id: UUID,
        starts_on: date,
        new_peer_worker: tuple[str, list[InterventionDomain]] | None,
        accompaniment_id: UUID,
        territory: frozenset[str] | None = None,
    ) -> None:
        """Records the employment an accompaniment's hiring stands for, registering the peer
        worker first when ``new_peer_worker`` (département, domains) says they are new.
        ``territory``: the départements the hiring was checked against (None: the whole
        country); a peer worker or structure outside them is refused (RuleBrokenError).
        ``accompaniment_id``: the hiring's, kept with the employment, whose cancellation it
        takes (``retract_hiring``).

        Saved with ``tracking``, the hiring's position in its source: a redelivered hiring
        raises IntegrityError and changes nothing; so does one already recorded, since the
        employment takes the hiring's id.
        """
        structure = self.get_structure(structure_id)
        try:
            peer_worker = self.get_peer_worker(self.survivor_of(peer_worker_id))
        except NotFoundError:
            if new_peer_worker is None:
                raise
            departement, domains = new_peer_worker
            peer_worker = PeerWorker.register(
                None, departement, domains, starts_on, peer_worker_id=peer_worker_id
            )
        if territory is not None:
            # The accompaniment checked its own view of the registry, which may lag or be
            # bypassed: the registry's records decide.
            for named, departement in (
                (f"peer worker {peer_worker_id}", peer_worker.departement),
                (f"partner structure {structure_id}", structure.departement),
            ):
                if departement not in territory:
                    raise RuleBrokenError(
                        f"{named} is in département {departement}, outside the territory the "
                        f"hiring was checked against (départements: {', '.join(sorted(territory))})"
                    )
        peer_worker.record_employment(
            structure_id, starts_on, None, employment_id=hiring_id, accompaniment_id=accompaniment_id
        )
        self.save_processed(tracking, peer_worker)

    def retract_hiring(
        self, tracking: Tracking, *, hiring_id: UUID, peer_worker_id: UUID, accompaniment_id: UUID
    ) -> None:
        """Cancels the employment recorded from a hiring its accompaniment retracted
        (``PeerWorker.cancel_hiring``), saved with ``tracking`` as ``record_hiring`` is: a
        redelivered retraction raises IntegrityError and changes nothing."""
        peer_worker = self.get_peer_worker(self.survivor_of(peer_worker_id))
        peer_worker.cancel_hiring(hiring_id, accompaniment_id)
        self.save_processed(tracking, peer_worker)

    def pass_over(self, tracking: Tracking) -> None:
        """Records that a message was dealt with although it changed nothing."""
        self.save_processed(tracking)

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

    def correct_registration(
        self,
        peer_worker_id: UUID,
        departement: str | None,
        registered_on: date | None,
        domains: list[InterventionDomain] | None,
        reason: str,
    ) -> None:
        if registered_on is not None:
            check_effective_date(registered_on)
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.correct_registration(departement, registered_on, domains, reason)
        self.save_changes(peer_worker)

    def correct_employment(
        self, peer_worker_id: UUID, employment_id: UUID, starts_on: date, ends_on: date | None, reason: str
    ) -> None:
        check_effective_date(starts_on)
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.correct_employment(employment_id, starts_on, ends_on, reason)
        self.save_changes(peer_worker)

    def cancel_employment(self, peer_worker_id: UUID, employment_id: UUID, reason: str) -> None:
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.cancel_employment(employment_id, reason)
        self.save_changes(peer_worker)

    def reinstate_peer_worker(self, peer_worker_id: UUID, reason: str) -> None:
        peer_worker = self.get_peer_worker(peer_worker_id)
        peer_worker.reinstate(reason)
        self.save_changes(peer_worker)

    def merge_peer_workers(self, merged_id: UUID, survivor_id: UUID, reason: str) -> None:
        """Merges a peer worker registered twice into their other record (``PeerWorker.merge_into``)."""
        merged = self.get_peer_worker(merged_id)
        survivor = self.get_peer_worker(survivor_id)
        merged.merge_into(survivor, reason)
        # The merged record first: its employments leave it before the survivor takes them.
        self.save_changes(merged, survivor)

    def survivor_of(self, peer_worker_id: UUID) -> UUID:
        """The record that stands for ``peer_worker_id``: itself, or the one it was merged
        into (through any later merges)."""
        seen = {peer_worker_id}
        while True:
            try:
                self.get_peer_worker(peer_worker_id)
            except MergedError as merged:
                if merged.into in seen:  # cannot happen: a survivor is never merged into its own
                    raise
                peer_worker_id = merged.into
                seen.add(peer_worker_id)
                continue
            except DomainError:
                pass  # the caller meets the same refusal
            return peer_worker_id
