"""Mistakes in a peer worker's record put right, and a person registered twice merged."""

from datetime import date
from uuid import UUID

from peerwork_common.domain.errors import DomainError
from peerwork_contracts.vocabulary import InterventionDomain

from ..domain.peer_worker_merge import MergedError
from ..domain.values import check_effective_date


class PeerWorkerCorrectionUseCases:
    """``Registry``'s corrections and merges of peer workers' records."""

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
