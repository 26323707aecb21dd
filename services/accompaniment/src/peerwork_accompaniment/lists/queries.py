"""Pages of the accompaniment's lists: each filter one SQL condition over the view's rows."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from peerwork_common.lists.conditions import Conditions, read_page
from peerwork_common.lists.pages import Keyset, Order
from peerwork_common.lists.view import ListView

# Sort names as the routes take them; "-" first: newest first.
ACCOMPANIMENT_ORDERS = Keyset({
    "requested_on": Order("requested_on"),
    "-requested_on": Order("requested_on", descending=True),
})
SESSION_ORDERS = Keyset({
    "starts_on": Order("starts_on"),
    "-starts_on": Order("starts_on", descending=True),
})

NETWORK_ORDERS = Keyset({
    "formed_on": Order("formed_on"),
    "-formed_on": Order("formed_on", descending=True),
})

Page = tuple[list[dict[str, Any]], str | None]


@dataclass(frozen=True)
class AccompanimentFilters:
    structure_id: UUID | None = None
    departement: str | None = None
    status: str | None = None  # open, closed, or the outcome of a closed one
    last_milestone: str | None = None
    opened_from: date | None = None
    opened_to: date | None = None


def accompaniments(
    view: ListView, filters: AccompanimentFilters, territory: frozenset[str] | None, sort: str, cursor: str | None,
    limit: int,
) -> Page:
    conditions = Conditions()
    if filters.structure_id is not None:
        conditions.add("structure_id = ?", str(filters.structure_id))
    if filters.departement is not None:
        conditions.add("departement = ?", filters.departement)
    if territory is not None:  # outside it, a record is as unknown as one that never was
        conditions.within("departement", territory)
    if filters.status == "open":
        conditions.add("closed_on IS NULL")
    elif filters.status == "closed":
        conditions.add("closed_on IS NOT NULL")
    elif filters.status is not None:
        conditions.add("outcome = ?", filters.status)
    if filters.last_milestone is not None:
        conditions.add("last_milestone = ?", filters.last_milestone)
    if filters.opened_from is not None:
        conditions.add("requested_on >= ?", filters.opened_from.isoformat())
    if filters.opened_to is not None:
        conditions.add("requested_on <= ?", filters.opened_to.isoformat())
    select = f"SELECT * FROM {view.table('list_accompaniments')}"
    with view.reading() as db:
        return read_page(view, db, ACCOMPANIMENT_ORDERS, select, conditions, sort, cursor, limit)


@dataclass(frozen=True)
class SessionFilters:
    year: int | None = None  # of its first day
    kind: str | None = None
    audience: str | None = None
    status: str | None = None  # scheduled, completed or cancelled
    departement: str | None = None


def training_sessions(view: ListView, filters: SessionFilters, sort: str, cursor: str | None, limit: int) -> Page:
    conditions = Conditions()
    if filters.year is not None:  # a range of days, which the index of starts_on serves
        conditions.add("starts_on >= ? AND starts_on <= ?", f"{filters.year:04d}-01-01", f"{filters.year:04d}-12-31")
    if filters.kind is not None:
        conditions.add("kind = ?", filters.kind)
    if filters.audience is not None:
        conditions.add("audience = ?", filters.audience)
    if filters.departement is not None:
        conditions.add("departement = ?", filters.departement)
    if filters.status == "scheduled":
        conditions.add("completed_on IS NULL AND cancelled_on IS NULL")
    elif filters.status == "completed":
        conditions.add("completed_on IS NOT NULL")
    elif filters.status == "cancelled":
        conditions.add("cancelled_on IS NOT NULL")
    select = f"SELECT * FROM {view.table('list_training_sessions')}"
    with view.reading() as db:
        return read_page(view, db, SESSION_ORDERS, select, conditions, sort, cursor, limit)


@dataclass(frozen=True)
class NetworkFilters:
    scope: str | None = None  # departement, region or national
    region: str | None = None  # a région's networks, its départements' included
    departement: str | None = None
    status: str | None = None  # active or ended
    active_on: date | None = None  # formed by then, not ended by then


def peer_networks(
    view: ListView, filters: NetworkFilters, territory: frozenset[str] | None, sort: str, cursor: str | None,
    limit: int,
) -> Page:
    conditions = Conditions()
    if filters.scope == "departement":
        conditions.add("departement IS NOT NULL")
    elif filters.scope == "region":
        conditions.add("region IS NOT NULL AND departement IS NULL")
    elif filters.scope == "national":
        conditions.add("region IS NULL")
    if filters.region is not None:
        conditions.add("region = ?", filters.region)
    if filters.departement is not None:
        conditions.add("departement = ?", filters.departement)
    if territory is not None:
        # Outside it, a record is as unknown as one that never was; a regional or national
        # network lies outside any territory of départements.
        conditions.within("departement", territory)
    if filters.status == "active":
        conditions.add("ended_on IS NULL")
    elif filters.status == "ended":
        conditions.add("ended_on IS NOT NULL")
    if filters.active_on is not None:
        day = filters.active_on.isoformat()
        conditions.add("formed_on <= ? AND (ended_on IS NULL OR ended_on > ?)", day, day)
    select = f"SELECT * FROM {view.table('list_peer_networks')}"
    with view.reading() as db:
        return read_page(view, db, NETWORK_ORDERS, select, conditions, sort, cursor, limit)
