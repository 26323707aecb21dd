"""Territory checks of the commands that name a record of the registry (a peer worker, a
partner structure) by id, against what this service has heard of it (``registry_records``)."""

from uuid import UUID

from fastapi import HTTPException, status

from peerwork_common.security.auth import ADMIN, Identity

from ..registry_records import RegistryRecords

# Seconds to wait before retrying a command naming a record not known here yet: the
# registry's events cross the bus in well under that.
RETRY_AFTER = "2"


def territory_of(identity: Identity) -> frozenset[str] | None:
    """The départements ``identity`` is confined to; None for the whole country (an admin's
    token always covers it)."""
    return None if ADMIN in identity.roles else identity.territory


def check_named(identity: Identity, records: RegistryRecords, kind: str, record_id: UUID) -> None:
    """Before a command naming ``record_id``, a ``kind`` of the registry, by a token
    confined to a territory: 403 when the record is outside it; 409 when this service has
    not heard of it yet (a record stored in the registry a moment ago reaches it within
    seconds: retry shortly); 410 for an erased peer worker. A token of national scope is not
    checked, and the registry refuses what it cannot record."""
    territory = territory_of(identity)
    if territory is None:
        return
    record = records.get(record_id)
    if record is None or record.kind != kind:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"{kind} {record_id} is not known to this service yet: a record stored in the registry "
            "reaches it within seconds, so retry shortly, and check the id if this persists",
            # Also tells the Idempotency-Key layer not to keep this answer for the retries.
            headers={"Retry-After": RETRY_AFTER},
        )
    if record.erased:
        raise HTTPException(
            status.HTTP_410_GONE, f"the record of {kind} {record_id} was erased at the person's request"
        )
    if record.departement not in territory:
        # Without the département: the caller is not to learn where people elsewhere are.
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"{kind} {record_id} is outside the territory of the token of {identity.subject!r} "
            f"(départements: {', '.join(sorted(territory))})",
        )
