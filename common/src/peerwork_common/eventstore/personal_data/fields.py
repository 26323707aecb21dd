"""Personal fields encrypted at rest, each person's with a key of their own, so that
destroying the key erases them (crypto-shredding, GDPR art. 17) from an event store that
never changes what it holds.

``PersonalDataMapper`` seals the fields an application names personal (``display_name``)
as they are stored, in events and snapshots alike, with AES-256-GCM under the key of the
aggregate they belong to (its id: the person's). It unseals them as they are read back;
once the key is gone they read as None. The keys live in a table of the service's own
database (``personal_data_keys``) and go nowhere else: the relay reads events through a mapper that
has no keys and leaves every personal field out (``unsealing=False``).
"""

import base64
import copy
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Cipher, Compressor, StoredEvent, Transcoder, Transcoding

from peerwork_common.eventstore.personal_data.keys import Keys, StoredWithNewKey
from peerwork_common.eventstore.provenance import ProvenanceMapper

_NONCE_BYTES = 12  # AES-GCM's standard nonce, random for each value sealed


@dataclass(frozen=True)
class Sealed:
    """A personal value as stored: nonce then ciphertext and tag."""

    token: bytes


class SealedAsBase64(Transcoding):
    type = Sealed
    name = "sealed"

    def encode(self, obj: Sealed) -> str:
        return base64.b64encode(obj.token).decode("ascii")

    def decode(self, data: str) -> Sealed:
        return Sealed(base64.b64decode(data))


class PersonalDataMapper(ProvenanceMapper):
    """Seals ``personal_fields`` of events and snapshots as they are stored, with the key of
    the aggregate they belong to; unseals them as they are read (None once the key is gone),
    or, with ``unsealing=False``, reads every one of them as None without touching a key."""

    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
        *,
        personal_fields: frozenset[str],
        keys: Keys,
        unsealing: bool = True,
    ) -> None:
        super().__init__(transcoder, compressor, cipher)
        self._fields = personal_fields
        self._keys = keys
        self._unsealing = unsealing
        self._saving = threading.local()  # the keys made in the save under way, by owner

    @contextmanager
    def saving(self) -> Iterator[None]:
        """One save's events: a key made for a new owner goes with their first event
        (``StoredWithNewKey``) for a ``KeyStoring`` recorder to store; outside, a new key is
        stored at once, in a transaction of its own."""
        self._saving.made = {}
        try:
            yield
        finally:
            del self._saving.made

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        if not self._holds_personal(vars(domain_event)):
            return super().to_stored_event(domain_event)
        owner_id = domain_event.originator_id
        key, made = self._key_for(owner_id, created=domain_event.originator_version == 1)
        sealed = copy.copy(domain_event)  # the aggregate's own event keeps its plaintext
        self._replace(vars(sealed), lambda field, value: _seal(key, owner_id, field, value))
        stored = super().to_stored_event(sealed)
        if not made:
            return stored
        return StoredWithNewKey(stored.originator_id, stored.originator_version, stored.topic, stored.state, key)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        domain_event = super().to_domain_event(stored_event)
        if self._holds_personal(vars(domain_event)):
            owner_id = domain_event.originator_id
            key = self._keys.key(owner_id) if self._unsealing else None
            self._replace(vars(domain_event), lambda field, value: _unseal(key, owner_id, field, value))
        return domain_event

    def _key_for(self, owner_id: UUID, *, created: bool) -> tuple[bytes, bool]:
        """The owner's key, and whether it was made for this save and is not stored yet.
        ``created``: the event creates the owner's record, so they have no key yet."""
        made: dict[UUID, bytes] | None = getattr(self._saving, "made", None)
        if made is None:
            return self._keys.key_or_new(owner_id), False
        if owner_id in made:  # made for an earlier event of this save, which carries it
            return made[owner_id], False
        if not created and (key := self._keys.key(owner_id)) is not None:
            return key, False
        made[owner_id] = AESGCM.generate_key(bit_length=256)
        return made[owner_id], True

    def _holds_personal(self, state: dict[str, Any]) -> bool:
        snapshot = state.get("state")
        return any(state.get(field) is not None for field in self._fields) or (
            isinstance(snapshot, dict) and self._holds_personal(snapshot)
        )

    def _replace(self, state: dict[str, Any], change: Callable[[str, Any], Any]) -> None:
        """Changes the personal fields of an event's state, or of a snapshot's."""
        if isinstance(state.get("state"), dict):  # a snapshot: the aggregate's attributes
            state["state"] = dict(state["state"])
            self._replace(state["state"], change)
        for field in self._fields & state.keys():
            if state[field] is not None:
                state[field] = change(field, state[field])


def _seal(key: bytes, owner_id: UUID, field: str, value: str) -> Sealed:
    nonce = os.urandom(_NONCE_BYTES)
    # Bound to its owner and field: a sealed value copied onto another record does not open.
    return Sealed(nonce + AESGCM(key).encrypt(nonce, value.encode("utf-8"), _bound(owner_id, field)))


def _unseal(key: bytes | None, owner_id: UUID, field: str, value: Sealed) -> str | None:
    if key is None:  # destroyed: erased
        return None
    nonce, ciphertext = value.token[:_NONCE_BYTES], value.token[_NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, _bound(owner_id, field)).decode("utf-8")
    except InvalidTag:
        raise ValueError(f"the {field} of {owner_id} does not open with its owner's key") from None


def _bound(owner_id: UUID, field: str) -> bytes:
    return f"{owner_id}/{field}".encode()
