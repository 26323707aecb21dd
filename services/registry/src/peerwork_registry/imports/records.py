"""The records an import works on: read once from the store, then kept with what the
import did to them until they are saved together, many in one transaction."""

import copy
from collections.abc import Iterable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from ..application import Registry
from ..domain.partner_structure import Claim
from .stored import stored_among


class Records:
    """The aggregates rows read or made, by id, the same object for every row that names it."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._held: dict[UUID, Aggregate] = {}
        self._changed: dict[UUID, Aggregate] = {}  # in the order first changed
        self._absent: set[UUID] = set()  # not in the store when last read ahead

    def read_ahead(self, ids: Iterable[UUID]) -> None:
        """Asks the store once which of ``ids`` it holds (``stored``): ``get`` then reads
        those as before, and takes the others for absent without asking again."""
        wanted = {aggregate_id for aggregate_id in ids if aggregate_id not in self._held}
        stored = stored_among(self._registry, wanted)
        self._absent = set() if stored is None else wanted - stored

    def get(self, aggregate_id: UUID) -> Aggregate | None:
        if aggregate_id not in self._held:
            if aggregate_id in self._absent:
                return None
            try:
                self._held[aggregate_id] = self._registry.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
        return self._held[aggregate_id]

    def changed(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self._held[aggregate.id] = aggregate
            self._changed[aggregate.id] = aggregate  # a copy of a claim replaces the one it copied

    def save(self) -> None:
        """Saves every change since the last save, in one transaction."""
        changed, self._changed = list(self._changed.values()), {}
        self._registry.save(*changed)

    def forget(self) -> None:
        """Drops what was not saved (after a failed save): the next rows read the store again."""
        self._held.clear()
        self._changed.clear()
        self._absent.clear()

    def claims(self) -> "ClaimsView":
        return ClaimsView(self)


class ClaimsView:
    """What ``structure_keys.rekeyed`` reads claims from: the import's, each as a copy, so
    that a row refused halfway through its keys leaves the others as they were."""

    def __init__(self, records: Records) -> None:
        self._records = records

    def get(self, claim_id: UUID) -> Claim:
        claim = self._records.get(claim_id)
        if claim is None:
            raise AggregateNotFoundError(claim_id)
        return copy.deepcopy(claim)
