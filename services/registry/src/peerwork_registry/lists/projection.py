"""The rows the registry's lists are read from, kept from the registry's own events.

No name of a person is kept here: a peer worker's display name is searched through a keyed
blind index, and their rows go when they are erased.
"""

from functools import singledispatchmethod
from typing import Any

from peerwork_common.eventstore.datastores import Datastore
from peerwork_common.lists.projection import ListProjection
from peerwork_common.lists.search import blind_index, fold
from peerwork_common.lists.view import ListView

from ..domain.legal_basis import LegalBasis
from ..domain.partner_structure import PartnerStructure
from ..domain.peer_worker import PeerWorker

# The lists' tables, those referred to first; made and changed by the service's
# migrations (peerwork_registry/migrations/).
TABLES = (
    "list_structures",
    "list_peer_workers",
    "list_peer_worker_domains",
    "list_employments",
    "list_peer_worker_legal_bases",
)


def registry_view(datastore: Datastore) -> ListView:
    return ListView(datastore, "registry_lists", TABLES)


class RegistryLists(ListProjection):
    name = "registry_lists"

    def __init__(self, view: ListView, name_index_key: bytes) -> None:
        super().__init__(view)
        self._name_index_key = name_index_key

    @singledispatchmethod
    def apply(self, domain_event: Any, cursor: Any) -> None:
        """Events that change no list (a SIRET's claim, for one) change nothing here."""

    @apply.register
    def _(self, registered: PartnerStructure.Registered, cursor: Any) -> None:
        self._run(
            cursor,
            "INSERT INTO {list_structures} (id, name, name_key, siret, departement, sector, registered_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            str(registered.originator_id), registered.name, fold(registered.name), registered.siret,
            registered.departement, str(registered.sector), registered.effective_on.isoformat(),
        )

    @apply.register
    def _(self, corrected: PartnerStructure.Corrected, cursor: Any) -> None:
        # The event holds the whole record as corrected; its reason stays out of the lists.
        self._run(
            cursor,
            "UPDATE {list_structures} SET name = ?, name_key = ?, siret = ?, departement = ?, sector = ? WHERE id = ?",
            corrected.name, fold(corrected.name), corrected.siret, corrected.departement, str(corrected.sector),
            str(corrected.originator_id),
        )

    @apply.register
    def _(self, registered: PeerWorker.Registered, cursor: Any) -> None:
        # The name reads None once the person's key is destroyed: an erased person is
        # never indexed again, even by a rebuild.
        name = registered.display_name
        peer_worker_id = str(registered.originator_id)
        self._run(
            cursor,
            "INSERT INTO {list_peer_workers} (id, name_index, departement, registered_on) VALUES (?, ?, ?, ?)",
            peer_worker_id, None if name is None else blind_index(self._name_index_key, name),
            registered.departement, registered.effective_on.isoformat(),
        )
        for domain in registered.domains:
            self._run(cursor, "INSERT INTO {list_peer_worker_domains} (peer_worker_id, domain) VALUES (?, ?)",
                      peer_worker_id, str(domain))

    @apply.register
    def _(self, recorded: PeerWorker.EmploymentRecorded, cursor: Any) -> None:
        self._run(
            cursor,
            "INSERT INTO {list_employments} (id, peer_worker_id, structure_id, starts_on, ends_on) VALUES (?, ?, ?, ?, ?)",
            str(recorded.employment_id), str(recorded.originator_id), str(recorded.structure_id),
            recorded.starts_on.isoformat(), None if recorded.ends_on is None else recorded.ends_on.isoformat(),
        )

    @apply.register
    def _(self, ended: PeerWorker.EmploymentEnded, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_employments} SET ends_on = ? WHERE id = ?",
                  ended.ends_on.isoformat(), str(ended.employment_id))

    @apply.register
    def _(self, moved: PeerWorker.Moved, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_peer_workers} SET departement = ? WHERE id = ?",
                  moved.to_departement, str(moved.originator_id))

    @apply.register
    def _(self, withdrawn: PeerWorker.Withdrawn, cursor: Any) -> None:
        day, peer_worker_id = withdrawn.effective_on.isoformat(), str(withdrawn.originator_id)
        self._run(cursor, "UPDATE {list_peer_workers} SET withdrawn_on = ? WHERE id = ?", day, peer_worker_id)
        # As ``PeerWorker``'s withdrawal does: it ends the employments still open that day.
        self._run(
            cursor,
            "UPDATE {list_employments} SET ends_on = ? WHERE peer_worker_id = ? AND (ends_on IS NULL OR ends_on > ?)",
            day, peer_worker_id, day,
        )

    @apply.register
    def _(self, corrected: PeerWorker.RegistrationCorrected, cursor: Any) -> None:
        peer_worker_id = str(corrected.originator_id)
        self._run(cursor, "UPDATE {list_peer_workers} SET departement = ?, registered_on = ? WHERE id = ?",
                  corrected.now_in, corrected.registered_on.isoformat(), peer_worker_id)
        self._run(cursor, "DELETE FROM {list_peer_worker_domains} WHERE peer_worker_id = ?", peer_worker_id)
        for domain in corrected.domains:
            self._run(cursor, "INSERT INTO {list_peer_worker_domains} (peer_worker_id, domain) VALUES (?, ?)",
                      peer_worker_id, str(domain))

    @apply.register
    def _(self, corrected: PeerWorker.EmploymentCorrected, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_employments} SET starts_on = ?, ends_on = ? WHERE id = ?",
                  corrected.starts_on.isoformat(), None if corrected.ends_on is None else corrected.ends_on.isoformat(),
                  str(corrected.employment_id))

    @apply.register
    def _(self, cancelled: PeerWorker.EmploymentCancelled, cursor: Any) -> None:
        self._run(cursor, "DELETE FROM {list_employments} WHERE id = ?", str(cancelled.employment_id))

    @apply.register
    def _(self, reinstated: PeerWorker.Reinstated, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_peer_workers} SET withdrawn_on = NULL WHERE id = ?",
                  str(reinstated.originator_id))
        for employment_id, ends_on in reinstated.reopened:
            self._run(cursor, "UPDATE {list_employments} SET ends_on = ? WHERE id = ?",
                      None if ends_on is None else str(ends_on), str(employment_id))

    @apply.register
    def _(self, recorded: PeerWorker.LegalBasisRecorded, cursor: Any) -> None:
        if recorded.legal_basis is None:  # erased with the person's key: their rows go at the erasure
            return
        peer_worker_id = str(recorded.originator_id)
        self._run(cursor, "DELETE FROM {list_peer_worker_legal_bases} WHERE peer_worker_id = ?", peer_worker_id)
        self._run(cursor, "INSERT INTO {list_peer_worker_legal_bases} (peer_worker_id, basis) VALUES (?, ?)",
                  peer_worker_id, LegalBasis.stored(recorded.legal_basis).basis.value)

    @apply.register
    def _(self, withdrawn: PeerWorker.ConsentWithdrawn, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_peer_worker_legal_bases} SET consent_withdrawn_on = ? WHERE peer_worker_id = ?",
                  withdrawn.withdrawn_on.isoformat(), str(withdrawn.originator_id))

    @apply.register
    def _(self, merged: PeerWorker.Merged, cursor: Any) -> None:
        # One person, listed once: under the survivor, which takes the employments next.
        self._forget(cursor, str(merged.originator_id))

    @apply.register
    def _(self, erased: PeerWorker.Erased, cursor: Any) -> None:
        self._forget(cursor, str(erased.originator_id))

    def _forget(self, cursor: Any, peer_worker_id: str) -> None:
        self._run(cursor, "DELETE FROM {list_employments} WHERE peer_worker_id = ?", peer_worker_id)
        self._run(cursor, "DELETE FROM {list_peer_worker_domains} WHERE peer_worker_id = ?", peer_worker_id)
        self._run(cursor, "DELETE FROM {list_peer_worker_legal_bases} WHERE peer_worker_id = ?", peer_worker_id)
        self._run(cursor, "DELETE FROM {list_peer_workers} WHERE id = ?", peer_worker_id)

    def _run(self, cursor: Any, statement: str, *values: Any) -> None:
        """``statement`` with its tables named ``{like_this}``."""
        tables = {name: self.view.table(name) for name in TABLES}
        cursor.execute(self.view.sql(statement.format(**tables)), values)
