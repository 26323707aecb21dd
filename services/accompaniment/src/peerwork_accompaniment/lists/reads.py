"""The accompaniment's lists as the HTTP routes read them: caught up with the log first."""

from uuid import UUID

from eventsourcing.application import Application

from peerwork_common.eventstore.datastores import datastore_of
from peerwork_common.lists.runner import InlineRunner

from . import queries
from .projection import AccompanimentLists, accompaniment_view


class Lists:
    """Pages of accompaniments, training sessions and peer networks, each showing at least what was
    stored before it was asked for (read-your-writes)."""

    def __init__(self, application: Application[UUID]) -> None:
        datastore = datastore_of(application)
        if datastore is None:
            raise TypeError("the accompaniment's lists need SQLite or PostgreSQL persistence")
        self.runner = InlineRunner(application, AccompanimentLists(accompaniment_view(datastore)))

    def accompaniments(
        self, filters: queries.AccompanimentFilters, territory: frozenset[str] | None, sort: str, cursor: str | None,
        limit: int,
    ) -> queries.Page:
        self.runner.catch_up()
        return queries.accompaniments(self.runner.projection.view, filters, territory, sort, cursor, limit)

    def training_sessions(
        self, filters: queries.SessionFilters, sort: str, cursor: str | None, limit: int
    ) -> queries.Page:
        self.runner.catch_up()
        return queries.training_sessions(self.runner.projection.view, filters, sort, cursor, limit)

    def peer_networks(
        self, filters: queries.NetworkFilters, territory: frozenset[str] | None, sort: str, cursor: str | None,
        limit: int,
    ) -> queries.Page:
        self.runner.catch_up()
        return queries.peer_networks(self.runner.projection.view, filters, territory, sort, cursor, limit)

    def rebuild(self) -> int:
        """Makes the lists again from the accompaniment's whole log; the position reached."""
        return self.runner.rebuild()
