"""Base of the write services' eventsourcing applications."""

import threading
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, ProcessRecorder, Tracking
from eventsourcing.postgres import PostgresDatastore

from .errors import NotFoundError, RuleBrokenError
from .provenance import Provenance, ProvenanceMapper
from .transcodings import DateAsISO

A = TypeVar("A", bound=Aggregate)
# An advisory lock key of its own ("peerwork" in ASCII), taken to create tables.
CREATING_TABLES = 0x70656572776F726B


class WriteApplication(Application[UUID]):
    """An application whose saves wake its relay, whose events may carry dates, and that
    can record which message from another service caused what it saves."""

    recorder: ProcessRecorder

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._saved_listeners: list[Callable[[], None]] = []
        self.events_stored = 0  # by this process, for the metrics
        self._counting = threading.Lock()  # saves come from the HTTP server's threads

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def construct_mapper(self) -> Mapper[UUID]:
        # Stores who acted with each event (``provenance``), out of the aggregates' sight.
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=ProvenanceMapper)

    def construct_recorder(self) -> ProcessRecorder:
        # A process recorder is an application recorder with a tracking table besides.
        datastore = getattr(self.factory, "datastore", None)
        if not isinstance(datastore, PostgresDatastore):
            return self.factory.process_recorder()
        # Replicas starting together on an empty database would race to create the tables
        # and types, and CREATE ... IF NOT EXISTS is not safe against that (the loser gets
        # a unique violation in the catalogue): one creates at a time.
        with datastore.get_connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (CREATING_TABLES,))
            try:
                return self.factory.process_recorder()
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (CREATING_TABLES,))

    def load(self, kind: type[A], aggregate_id: UUID, label: str) -> A:
        """The aggregate of that kind, or NotFoundError naming it by ``label``."""
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, kind):
            raise NotFoundError(f"no {label} has the id {aggregate_id}")
        return aggregate

    def history(self, aggregate_id: UUID) -> list[tuple[Any, Provenance | None]]:
        """The aggregate's events, oldest first, each with who caused it (if recorded)."""
        mapper: ProvenanceMapper = self.mapper  # type: ignore[assignment]
        return [
            (mapper.to_domain_event(stored), mapper.provenance_of(stored))
            for stored in self.recorder.select_events(aggregate_id)
        ]

    def save_changes(self, *aggregates: Aggregate) -> None:
        """Saves a command's changes to aggregates it loaded: another command having
        changed one of them meanwhile is a conflict the caller can resolve by retrying."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise RuleBrokenError(
                "the record changed while this command ran: read it again and retry"
            ) from None

    def save_processed(self, tracking: Tracking, *aggregates: Aggregate) -> None:
        """Saves the aggregates' new events in the same transaction as ``tracking``, the
        position of the message they come from. Raises IntegrityError if that position
        was recorded already."""
        processing = ProcessingEvent[UUID](tracking)
        processing.collect_events(*aggregates)
        self._notify(self._record(processing))

    def processed_up_to(self, application_name: str) -> int:
        """The last position recorded with ``save_processed`` for that source (0: none)."""
        return self.recorder.max_tracking_id(application_name) or 0

    def on_saved(self, listener: Callable[[], None]) -> None:
        """Calls ``listener`` after each save, from the saving thread."""
        self._saved_listeners.append(listener)

    def _notify(self, recordings: list[Any]) -> None:
        with self._counting:
            self.events_stored += len(recordings)
        for listener in self._saved_listeners:
            listener()
