"""Base of the write services' eventsourcing applications."""

import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, ProcessRecorder, Tracking
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import get_topic

from peerwork_common.domain.errors import NotFoundError, RuleBrokenError
from peerwork_common.eventstore.datastores import CREATING_TABLES, datastore_of
from peerwork_common.eventstore.idempotent_saves import recorder_class
from peerwork_common.eventstore.personal_data.erasure import Erasures
from peerwork_common.eventstore.personal_data.fields import PersonalDataMapper, SealedAsBase64
from peerwork_common.eventstore.personal_data.keys import Keys, KeyStore, KeyStoring, MemoryKeyStore
from peerwork_common.eventstore.provenance import Provenance, ProvenanceMapper
from peerwork_common.eventstore.schema_migrations import migrate
from peerwork_common.eventstore.transcodings import DateAsISO

A = TypeVar("A", bound=Aggregate)


class WriteApplication(Application[UUID]):
    """An application whose saves wake its relay, whose events may carry dates and personal
    fields (encrypted at rest, ``personal_data``), and that can record which message from
    another service caused what it saves."""

    recorder: ProcessRecorder
    # Attributes of events (and snapshots) that hold personal data, sealed with the key of
    # the aggregate they belong to.
    personal_fields: frozenset[str] = frozenset()
    # The folders of the service's own migrations, applied after common's.
    migrations: tuple[Path, ...] = ()

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        datastore = datastore_of(self)
        # The service's own tables, beside the event store's, before anything reads them;
        # ``migrated``: the migrations this start applied (``python -m <service> migrate``).
        self.migrated = [] if datastore is None else migrate(datastore, *self.migrations)
        # What the relay and the audit read events with: no keys, no personal fields.
        self.publication_mapper = self._mapper(unsealing=False)
        self._saved_listeners: list[Callable[[], None]] = []
        self.events_stored = 0  # by this process, for the metrics
        self._counting = threading.Lock()  # saves come from the HTTP server's threads

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(SealedAsBase64())

    def construct_mapper(self) -> Mapper[UUID]:
        return self._mapper(unsealing=True)

    def _mapper(self, *, unsealing: bool) -> ProvenanceMapper:
        # Both store who acted with each event (``provenance``), out of the aggregates' sight.
        transcoder = self.construct_transcoder()
        if not self.personal_fields:
            return self.factory.mapper(transcoder=transcoder, mapper_class=ProvenanceMapper)
        return PersonalDataMapper(
            transcoder,
            self.factory.compressor(),
            self.factory.cipher(),
            personal_fields=self.personal_fields,
            keys=self.personal_data_keys,
            unsealing=unsealing,
        )

    @cached_property
    def personal_data_keys(self) -> Keys:
        """The keys of the personal fields, in the event store's database."""
        datastore = datastore_of(self)
        return MemoryKeyStore() if datastore is None else KeyStore(datastore)

    @cached_property
    def erasures(self) -> Erasures:
        """The destruction of keys, complete once no copy of them is left on disk."""
        return Erasures(self.personal_data_keys, datastore_of(self))

    def erase_personal_data(self, owner_id: UUID) -> bool:
        """Destroys the key of ``owner_id``'s personal fields: they read as None from now on,
        wherever they were stored. False while copies of the key (or of what was deleted
        before it) may still be on disk: ``personal_data_erasure.finishing`` clears them."""
        return self.erasures.erase(owner_id)

    def construct_recorder(self) -> ProcessRecorder:
        # A process recorder is an application recorder with a tracking table besides.
        datastore = datastore_of(self)
        if datastore is not None:
            # Stores, with the events, the outcome of the idempotent request that caused them
            # (``idempotent_saves``), and the keys made for new people with what they sealed.
            if getattr(datastore, "enable_db_functions", False):
                raise ValueError(
                    "the events' transaction stores more by SQL statements (keys, outcomes of "
                    "idempotent requests): unset POSTGRES_ENABLE_DB_FUNCTIONS"
                )
            recorder = recorder_class(datastore, storing_keys=bool(self.personal_fields))
            self.factory.env[self.factory.PROCESS_RECORDER_TOPIC] = get_topic(recorder)
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

    def load(
        self, kind: type[A], aggregate_id: UUID, label: str, within: Callable[[str], bool] | None = None
    ) -> A:
        """The aggregate of that kind, or NotFoundError naming it by ``label``; the same
        when ``within`` does not take the aggregate's département (a territory's staff learn
        nothing of the records outside it, not even that they exist)."""
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, kind) or (within is not None and not within(aggregate.departement)):
            raise NotFoundError(f"no {label} has the id {aggregate_id}")
        return aggregate

    def history(self, aggregate_id: UUID) -> list[tuple[Any, Provenance | None]]:
        """The aggregate's events, oldest first, each with who caused it (if recorded)."""
        mapper = self.publication_mapper
        return [
            (mapper.to_domain_event(stored), mapper.provenance_of(stored))
            for stored in self.recorder.select_events(aggregate_id)
        ]

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Any]:
        if isinstance(self.mapper, PersonalDataMapper) and isinstance(self.recorder, KeyStoring):
            with self.mapper.saving():
                return super()._record(processing_event)
        return super()._record(processing_event)

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
