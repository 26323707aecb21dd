"""The lists of accompaniments and training sessions, included before the record routes:
``/accompaniments/export`` is not an accompaniment's id."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query

from peerwork_common.access import Staff, protected_router
from peerwork_common.auth import STAFF
from peerwork_common.lists.page_api import DEFAULT_LIMIT, Cursor, Limit, Page, known_filters
from peerwork_common.refusals import refusals
from peerwork_common.schemas import Day, DepartementCode
from peerwork_contracts.vocabulary import Audience, Milestone, TrainingKind

from ...lists.queries import AccompanimentFilters, SessionFilters
from ..deps import ListsDep
from ..list_schemas import (
    AccompanimentItem, AccompanimentSort, AccompanimentStatus, SessionSort, SessionStatus, TrainingSessionItem,
)

# Staff only (admins too), checked before the route looks anything up.
accompaniments = protected_router(STAFF, prefix="/accompaniments", tags=["accompaniments"], responses=refusals(422))
training_sessions = protected_router(
    STAFF, prefix="/training-sessions", tags=["training sessions"], responses=refusals(422)
)


@accompaniments.get("", dependencies=[Depends(known_filters)])
def list_accompaniments(
    lists: ListsDep,
    identity: Staff,
    structure_id: Annotated[UUID | None, Query(description="The partner structure accompanied")] = None,
    departement: Annotated[DepartementCode | None, Query()] = None,
    status_: Annotated[
        AccompanimentStatus | None,
        Query(alias="status", description="Open, closed, or closed with this outcome"),
    ] = None,
    last_milestone: Annotated[
        Milestone | None, Query(description="The last step of the timeline (as a retraction leaves it)")
    ] = None,
    opened_from: Annotated[Day | None, Query(description="Requested on or after")] = None,
    opened_to: Annotated[Day | None, Query(description="Requested on or before")] = None,
    sort: Annotated[AccompanimentSort, Query(description="`-` first: newest first")] = "requested_on",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AccompanimentItem]:
    """List the accompaniments (of the token's territory), filtered, a page at a time, by
    the day they were opened then their id."""
    filters = AccompanimentFilters(structure_id, departement, status_, last_milestone, opened_from, opened_to)
    rows, following = lists.accompaniments(filters, identity.reach, sort, cursor, limit)
    return Page[AccompanimentItem](items=[AccompanimentItem.of(row) for row in rows], next=following)


@training_sessions.get("", dependencies=[Depends(known_filters)])
def list_training_sessions(
    lists: ListsDep,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="The year of its first day")] = None,
    kind: Annotated[TrainingKind | None, Query()] = None,
    audience: Annotated[Audience | None, Query()] = None,
    status_: Annotated[SessionStatus | None, Query(alias="status")] = None,
    departement: Annotated[DepartementCode | None, Query()] = None,
    sort: Annotated[SessionSort, Query(description="`-` first: latest first")] = "starts_on",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[TrainingSessionItem]:
    """List the training sessions, filtered, a page at a time, by their first day then their
    id. Sessions are open to all: as their records, every session is listed whatever the
    token's territory."""
    filters = SessionFilters(year, kind, audience, status_, departement)
    rows, following = lists.training_sessions(filters, sort, cursor, limit)
    return Page[TrainingSessionItem](items=[TrainingSessionItem.of(row) for row in rows], next=following)
