"""The registry's lists as the HTTP routes read them: caught up with the log first."""

from datetime import date
from typing import Any

from peerwork_common.eventstore.datastores import datastore_of
from peerwork_common.lists.runner import InlineRunner
from peerwork_contracts import calendar

from ..application import Registry
from . import queries
from .projection import RegistryLists, registry_view

Page = tuple[list[dict[str, Any]], str | None]


class Lists:
    """Pages of structures and of peer workers, each showing at least what was stored
    before it was asked for (read-your-writes)."""

    def __init__(self, registry: Registry, name_index_key: bytes) -> None:
        datastore = datastore_of(registry)
        if datastore is None:
            raise TypeError("the registry's lists need SQLite or PostgreSQL persistence")
        self._name_index_key = name_index_key
        self.runner = InlineRunner(registry, RegistryLists(registry_view(datastore), name_index_key))

    def structures(
        self, filters: queries.StructureFilters, territory: frozenset[str] | None, sort: str, cursor: str | None,
        limit: int, today: date | None = None,
    ) -> Page:
        self.runner.catch_up()
        view = self.runner.projection.view
        return queries.structures(view, filters, territory, today or calendar.today(), sort, cursor, limit)

    def peer_workers(
        self, filters: queries.PeerWorkerFilters, territory: frozenset[str] | None, sort: str, cursor: str | None,
        limit: int, today: date | None = None,
    ) -> Page:
        self.runner.catch_up()
        view = self.runner.projection.view
        return queries.peer_workers(
            view, filters, self._name_index_key, territory, today or calendar.today(), sort, cursor, limit
        )

    def catch_up(self) -> int:
        return self.runner.catch_up()

    def rebuild(self) -> int:
        """Makes the lists again from the registry's whole log; the position reached."""
        return self.runner.rebuild()
