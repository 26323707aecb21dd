"""The keys of people's personal fields (``personal_data``), one per person, in a table of
the service's own database, and nowhere else.

A key made for a new person is stored by the recorder in the transaction that stores the
events it sealed (``StoredWithNewKey``, ``KeyStoring``): a save costs no second commit, and
there is never a sealed value without its key, nor a key without what it sealed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteProcessRecorder

from peerwork_common.eventstore.datastores import Datastore, mark, table
from peerwork_common.eventstore.postgres_inserts import PostgresRecorder

_KEYS = "personal_data_keys"


class KeyStore:
    """Each person's key, in the service's database (SQLite or PostgreSQL)."""

    def __init__(self, datastore: Datastore) -> None:
        self._datastore = datastore
        self._postgres = isinstance(datastore, PostgresDatastore)
        self._table, self._mark = table(datastore, _KEYS), mark(datastore)  # made by migrations/

    def key(self, owner_id: UUID) -> bytes | None:
        """The owner's key; None once it was destroyed (or if they never had one)."""
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT key FROM {self._table} WHERE owner_id = {self._mark}", (str(owner_id),))
            row = cursor.fetchone()
        return None if row is None else bytes(row["key"])

    def key_or_new(self, owner_id: UUID) -> bytes:
        """The owner's key, made on first use. Two processes making one at once agree on the
        first stored."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"INSERT INTO {self._table} (owner_id, key) VALUES ({self._mark}, {self._mark}) "
                "ON CONFLICT (owner_id) DO NOTHING",
                (str(owner_id), AESGCM.generate_key(bit_length=256)),
            )
            cursor.execute(f"SELECT key FROM {self._table} WHERE owner_id = {self._mark}", (str(owner_id),))
            return bytes(cursor.fetchone()["key"])

    def destroy(self, owner_id: UUID, cursor: Any = None) -> None:
        """Destroys the owner's key (in ``cursor``'s transaction, if given): what it sealed
        can never be read again. On SQLite its bytes are overwritten in the pages it leaves;
        the copies in the write-ahead log are for ``personal_data_erasure`` to clear."""
        if cursor is not None:
            return self._delete(owner_id, cursor)
        with self._datastore.transaction(commit=True) as own:
            self._delete(owner_id, own)

    def _delete(self, owner_id: UUID, cursor: Any) -> None:
        if not self._postgres:
            cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute(f"DELETE FROM {self._table} WHERE owner_id = {self._mark}", (str(owner_id),))


@dataclass(frozen=True)
class StoredWithNewKey(StoredEvent):
    """A stored event sealed with a key made in this save, which the recorder stores with it."""

    new_key: bytes = b""


class KeyStoring:
    """Makes a process recorder store the keys of ``StoredWithNewKey`` events in the
    transaction that stores them."""

    datastore: Datastore

    def _insert_events(self, cursor: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        new = [(str(s.originator_id), s.new_key) for s in stored_events if isinstance(s, StoredWithNewKey)]
        if new:
            self._insert_keys(cursor, new)
        return super()._insert_events(cursor, stored_events, **kwargs)  # type: ignore[misc]

    def _insert_keys(self, cursor: Any, new: list[tuple[str, bytes]]) -> None:
        raise NotImplementedError


class SQLiteKeyStoringRecorder(KeyStoring, SQLiteProcessRecorder):
    def _insert_keys(self, cursor: Any, new: list[tuple[str, bytes]]) -> None:
        cursor.executemany(f"INSERT INTO {_KEYS} (owner_id, key) VALUES (?, ?)", new)


class PostgresKeyStoringRecorder(KeyStoring, PostgresRecorder):
    def _insert_keys(self, cursor: Any, new: list[tuple[str, bytes]]) -> None:
        # One statement for an import's hundreds of new people, not a round trip each.
        owners, keys = zip(*new, strict=True)
        cursor.execute(
            f"INSERT INTO {table(self.datastore, _KEYS)} (owner_id, key) "
            "SELECT * FROM unnest(%s::text[], %s::bytea[])",
            (list(owners), list(keys)),
        )


class MemoryKeyStore:
    """Keys for an application kept in memory (eventsourcing's POPO persistence, in tests)."""

    def __init__(self) -> None:
        self._keys: dict[UUID, bytes] = {}

    def key(self, owner_id: UUID) -> bytes | None:
        return self._keys.get(owner_id)

    def key_or_new(self, owner_id: UUID) -> bytes:
        return self._keys.setdefault(owner_id, AESGCM.generate_key(bit_length=256))

    def destroy(self, owner_id: UUID) -> None:
        self._keys.pop(owner_id, None)


Keys = KeyStore | MemoryKeyStore
