"""The accompaniment's hirings, as the registry's consumer of them (``peerwork_registry.hirings``)
applies them: each becomes an employment, and one retracted is cancelled."""

from datetime import date
from uuid import UUID

from eventsourcing.persistence import Tracking

from peerwork_common.domain.errors import NotFoundError, RuleBrokenError
from peerwork_contracts.vocabulary import InterventionDomain

from ..domain.peer_worker import PeerWorker


class HiringUseCases:
    """``Registry``'s use cases on hirings, each saved with its position in its source."""

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
