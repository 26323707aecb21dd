"""The exports of the registry's lists, included before the record routes:
``/structures/export`` is not a structure's id."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, HTTPException, Query, status
from fastapi.responses import StreamingResponse

from peerwork_common.domain.errors import ErasedError
from peerwork_common.http.access import Staff, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.exports import FormatQuery, every_page, export_response, export_responses
from peerwork_common.http.refusals import refusals
from peerwork_common.lists.page_api import known_filters
from peerwork_common.security.auth import ADMIN, STAFF

from ...application import Registry
from ...domain.peer_worker_merge import MergedError
from ..deps import ListsDep, RegistryDep
from ..list_filters import PeerWorkerFiltersDep, PeerWorkerSortQuery, StructureFiltersDep, StructureSortQuery
from ..list_schemas import NamedPeerWorkerItem, PeerWorkerItem, StructureItem

# Staff only (admins too), checked before the route looks anything up.
structures = protected_router(STAFF, prefix="/structures", tags=["partner structures"], responses=refusals(422))
peer_workers = protected_router(STAFF, prefix="/peer-workers", tags=["peer workers"], responses=refusals(422))

# The audit's kinds for a record exported (a peer worker's record read is "peer worker"):
# a DPO tells the exports that held names from the others.
STRUCTURE_EXPORTED = "partner structure exported"
PEER_WORKER_EXPORTED = "peer worker exported"
NAME_EXPORTED = "peer worker exported with name"

ONLY_ADMINS = (
    "only admins may export display names (include_names=true); leave it out to export the "
    "peer workers without their names"
)


@structures.get(
    "/export",
    dependencies=[Depends(known_filters)],
    response_class=StreamingResponse,
    responses=export_responses(StructureItem),
)
def export_structures(
    lists: ListsDep,
    audit: AuditLogDep,
    identity: Staff,
    filters: StructureFiltersDep,
    export_format: FormatQuery,
    sort: StructureSortQuery = "name",
) -> StreamingResponse:
    """Export the partner structures (of the token's territory) the filters select, as the
    list has them: a CSV file French Excel opens as it is (UTF-8 with a byte order mark,
    `;` separated), or a JSON array. Every structure exported is logged in the audit."""
    pages = every_page(lambda cursor, limit: lists.structures(filters, identity.reach, sort, cursor, limit))
    return export_response(
        export_format,
        "structures",
        list(StructureItem.model_fields),
        ([StructureItem.of(row) for row in rows] for rows in pages),
        lambda page: audit.record_reads([item.id for item in page], STRUCTURE_EXPORTED),
    )


@peer_workers.get(
    "/export",
    dependencies=[Depends(known_filters)],
    response_class=StreamingResponse,
    responses=export_responses(PeerWorkerItem, NamedPeerWorkerItem),
)
def export_peer_workers(
    lists: ListsDep,
    registry: RegistryDep,
    audit: AuditLogDep,
    identity: Staff,
    filters: PeerWorkerFiltersDep,
    export_format: FormatQuery,
    include_names: Annotated[
        bool, Query(description="With each person's display name, read from their record: admins only")
    ] = False,
    sort: PeerWorkerSortQuery = "registered_on",
) -> StreamingResponse:
    """Export the peer workers (of the token's territory) the filters select, as the list
    has them, without their names unless an admin asks for them (`include_names`, 403 for
    staff): a CSV file French Excel opens as it is (UTF-8 with a byte order mark, `;`
    separated), or a JSON array. Erased people are in no export; every person exported is
    logged in the audit."""
    if include_names and ADMIN not in identity.roles:
        raise HTTPException(status.HTTP_403_FORBIDDEN, ONLY_ADMINS)
    pages = every_page(lambda cursor, limit: lists.peer_workers(filters, identity.reach, sort, cursor, limit))
    items = ([PeerWorkerItem.of(row) for row in rows] for rows in pages)
    item, kind = (NamedPeerWorkerItem, NAME_EXPORTED) if include_names else (PeerWorkerItem, PEER_WORKER_EXPORTED)
    return export_response(
        export_format,
        "peer-workers",
        list(item.model_fields),
        (named(registry, page) for page in items) if include_names else items,
        lambda page: audit.record_reads([person.id for person in page], kind),
    )


def named(registry: Registry, page: Sequence[PeerWorkerItem]) -> list[NamedPeerWorkerItem]:
    """The page's people with their display names, decrypted from their own records (the
    lists keep no name): one erased or merged since the page was read is left out."""
    people = []
    for person in page:
        try:
            display_name = registry.get_peer_worker(person.id).display_name
        except (ErasedError, MergedError):
            continue
        people.append(NamedPeerWorkerItem(**person.model_dump(), display_name=display_name))
    return people
