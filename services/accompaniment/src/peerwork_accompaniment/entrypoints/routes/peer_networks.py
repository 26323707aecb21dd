"""Peers' collective organisation: networks and groups, and their meetings."""

from collections.abc import Iterable
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Depends, HTTPException, Query, status

from peerwork_common.http.access import Staff, check_territory, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.refusals import refusals
from peerwork_common.http.schemas import Created, Day, DepartementCode, RegionCode
from peerwork_common.lists.page_api import DEFAULT_LIMIT, Cursor, Limit, Page, known_filters
from peerwork_common.security.audit_log import AuditLog
from peerwork_common.security.auth import STAFF, Identity

from ...application import Accompaniments
from ...domain.peer_network import PeerNetwork
from ...lists.queries import NetworkFilters
from ...registry_records import PEER_WORKER, RegistryRecords
from ..deps import AccompanimentsDep, ListsDep, RegistryRecordsDep, RegistryReferencesDep
from ..network_schemas import (
    EndNetwork,
    FormNetwork,
    HoldMeeting,
    MeetingView,
    NetworkSort,
    NetworkStatus,
    NetworkTerritory,
    PeerNetworkItem,
    PeerNetworkView,
    Scope,
)
from ..references import RegistryReferences
from ..territory import check_named

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/peer-networks", tags=["peer networks"], responses=refusals(422))

# A network's record names the peer workers who met: a route answering with it logs the read.
PEER_NETWORK = "peer network"

# A command on a network: it may be unknown, or the command contradict what it holds.
COMMAND = refusals(400, 404, 409, 413)


@router.post("", status_code=status.HTTP_201_CREATED, responses=refusals(400, 413))
def form_network(command: FormNetwork, accompaniments: AccompanimentsDep, identity: Staff) -> Created:
    """Record a network or group of peers, since when it exists, and its territory: a
    département (with a token confined to a territory, one of it), a région, or national
    (both with a token of national scope only: 403 otherwise)."""
    check_scope(identity, command)
    return Created(id=accompaniments.form_network(command.name, command.to_domain(), command.formed_on))


@router.get("", dependencies=[Depends(known_filters)])
def list_networks(
    lists: ListsDep,
    identity: Staff,
    scope: Annotated[Scope | None, Query()] = None,
    region: Annotated[RegionCode | None, Query(description="Its networks, its départements' included")] = None,
    departement: Annotated[DepartementCode | None, Query()] = None,
    status_: Annotated[NetworkStatus | None, Query(alias="status")] = None,
    active_on: Annotated[Day | None, Query(description="Formed by that day and not ended by then")] = None,
    sort: Annotated[NetworkSort, Query(description="`-` first: latest formed first")] = "formed_on",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PeerNetworkItem]:
    """List the peer networks (of the token's territory: a token confined to départements
    sees their networks, not the regional or national ones), filtered, a page at a time, by
    the day they were formed then their id."""
    filters = NetworkFilters(scope, region, departement, status_, active_on)
    rows, following = lists.peer_networks(filters, identity.reach, sort, cursor, limit)
    return Page[PeerNetworkItem](items=[PeerNetworkItem.of(row) for row in rows], next=following)


@router.get("/{network_id}", responses=refusals(404))
def get_network(
    network_id: UUID, accompaniments: AccompanimentsDep, audit: AuditLogDep, identity: Staff
) -> PeerNetworkView:
    """Read a network, with its meetings and who took part."""
    return audited(accompaniments, network_id, audit, identity)


@router.post(
    "/{network_id}/meetings", status_code=status.HTTP_201_CREATED, responses={**COMMAND, **refusals(410)}
)
def hold_meeting(
    network_id: UUID,
    command: HoldMeeting,
    accompaniments: AccompanimentsDep,
    records: RegistryRecordsDep,
    references: RegistryReferencesDep,
    identity: Staff,
) -> MeetingView:
    """Record a meeting the network held: its day (while the network existed), kind, hours,
    the peer workers who took part (each registered in the registry: 422 otherwise, 410 for
    an erased one, 409 for one withdrawn from the census by that day; with a token confined to a
    territory, in it: 403) and how many others."""
    in_reach(accompaniments, network_id, identity)
    check_peer_workers(command.peer_worker_ids, command.held_on, identity, records, references)
    meeting = accompaniments.hold_meeting(
        network_id, command.held_on, command.kind, command.hours, tuple(command.peer_worker_ids),
        command.other_participants,
    )
    return MeetingView.of(meeting)


@router.post("/{network_id}/end", responses=COMMAND)
def end_network(
    network_id: UUID, command: EndNetwork, accompaniments: AccompanimentsDep, audit: AuditLogDep, identity: Staff
) -> PeerNetworkView:
    """Record that the network stopped: from `ended_on` on it is not active (after its last meeting)."""
    in_reach(accompaniments, network_id, identity)
    accompaniments.end_network(network_id, command.ended_on)
    return audited(accompaniments, network_id, audit, identity)


def check_scope(identity: Identity, territory: NetworkTerritory) -> None:
    """403 for a network outside the token's territory: a regional or national one is
    outside any territory of départements."""
    if territory.departement is not None:
        check_territory(identity, territory.departement, "a peer network")
    elif identity.reach is not None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"a {territory.scope} peer network is outside the territory of the token of {identity.subject!r} "
            f"(départements: {', '.join(sorted(identity.reach)) or 'none'}): a token of national scope records it",
        )


def check_peer_workers(
    peer_worker_ids: Iterable[UUID],
    held_on: date,
    identity: Identity,
    records: RegistryRecords,
    references: RegistryReferences,
) -> None:
    """Each peer worker of a meeting held that day: see ``hold_meeting``."""
    for peer_worker_id in peer_worker_ids:
        references.check(peer_worker_id, PEER_WORKER)
        check_named(identity, records, PEER_WORKER, peer_worker_id)
        # After the territory's check: whether someone elsewhere left is not the caller's to learn.
        references.check_not_withdrawn(peer_worker_id, held_on)


def in_reach(accompaniments: Accompaniments, network_id: UUID, identity: Identity) -> PeerNetwork:
    """Before a command: the network, 404 when it is outside the caller's territory, as for an unknown id."""
    return accompaniments.get_network(network_id, identity.covers)


def audited(
    accompaniments: Accompaniments, network_id: UUID, audit: AuditLog, identity: Identity
) -> PeerNetworkView:
    """The network, its read logged once it is found (in the caller's territory)."""
    view = PeerNetworkView.of(accompaniments.get_network(network_id, identity.covers))
    audit.record_read(network_id, PEER_NETWORK)
    return view
