"""Claims the names of the structures registered before names were claimed (``NameIndex``),
so that a structure registered again under one of them is answered 409 like any other.

It runs at every start of the registry, before it serves (``bootstrap``), rather than as a
command an operator must remember after the upgrade: it reads the registrations stored
since the last run (the position is kept in the tracking table), so after the first start
it reads next to nothing. A structure whose name another already holds is left as it is and
listed: either it was registered despite the same name, or it is a duplicate staff should
look at; the start goes on.
"""

import logging
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.utils import get_topic

from peerwork_common.domain.errors import DuplicateError

from .application import Registry
from .domain.partner_structure import PartnerStructure
from .structure_keys import StructureKeys, rekeyed

log = logging.getLogger(__name__)

# The tracking name under which the last notification looked at is kept.
_SCANNED = "name-claims"
_BATCH = 500


@dataclass
class Backfill:
    claimed: int = 0
    # (the structure holding the name, the one registered with it too, the name's key)
    sharing: list[tuple[UUID, UUID, str]] = field(default_factory=list)


def claim_unclaimed_names(registry: Registry) -> Backfill:
    """Claims, for every structure registered since the last run that holds no claim of its
    name, its normalised name in its département. Running it again claims nothing more."""
    result = Backfill()
    scanned = registry.processed_up_to(_SCANNED)
    # Registrations stored from here on are made by this version, which claims their names.
    up_to = registry.recorder.max_notification_id() or 0
    topics = [get_topic(PartnerStructure.Registered)]
    while scanned < up_to:
        notifications = registry.recorder.select_notifications(
            scanned, _BATCH, stop=up_to, topics=topics, inclusive_of_start=False
        )
        if not notifications:
            break
        for notification in notifications:
            _claim(registry, notification.originator_id, result)
        scanned = notifications[-1].id
    if up_to > registry.processed_up_to(_SCANNED):
        try:
            registry.recorder.insert_tracking(Tracking(_SCANNED, up_to))
        except IntegrityError:
            pass  # another replica, starting at the same time, ran it as far
    return result


def _claim(registry: Registry, structure_id: UUID, result: Backfill) -> None:
    structure = registry.get_structure(structure_id)
    # As if it had held no name so far: what it holds already is left as it is.
    unclaimed = StructureKeys(structure.siret, None)
    for _ in range(2):
        try:
            claims = rekeyed(registry.repository, structure, unclaimed, despite_same_name=False)
        except DuplicateError as held:
            result.sharing.append((held.existing_id, structure_id, structure.name_key))
            return
        claims = [claim for claim in claims if claim.pending_events]
        if not claims:
            return  # it holds its name already
        try:
            registry.save(*claims)
        except IntegrityError:
            continue  # claimed meanwhile (by a registration, or a replica starting too): look again
        result.claimed += 1
        return


def log_backfill(result: Backfill) -> None:
    for holder, other, key in result.sharing:
        log.warning(
            "structures %s and %s share the name %r: registered despite the same name, or a "
            "duplicate to check (GET /structures/{id})", holder, other, key,
        )
    if result.claimed or result.sharing:
        log.info(
            "name claims: %d structure names claimed, %d structures sharing a name with another",
            result.claimed, len(result.sharing),
        )
