"""The lists of accompaniments and training sessions, included before the record routes:
``/accompaniments/export`` is not an accompaniment's id."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse

from peerwork_common.http.access import Staff, protected_router
from peerwork_common.http.audit_api import AuditLogDep
from peerwork_common.http.exports import FormatQuery, every_page, export_response, export_responses
from peerwork_common.http.refusals import refusals
from peerwork_common.http.schemas import Day, DepartementCode
from peerwork_common.lists.page_api import DEFAULT_LIMIT, Cursor, Limit, Page, known_filters
from peerwork_common.security.auth import STAFF
from peerwork_contracts.vocabulary import Audience, Milestone, TrainingKind

from ...lists.queries import AccompanimentFilters, SessionFilters
from ..deps import ListsDep
from ..list_schemas import (
    AccompanimentItem,
    AccompanimentSort,
    AccompanimentStatus,
    SessionSort,
    SessionStatus,
    TrainingSessionItem,
)

# Staff only (admins too), checked before the route looks anything up.
accompaniments = protected_router(STAFF, prefix="/accompaniments", tags=["accompaniments"], responses=refusals(422))
training_sessions = protected_router(
    STAFF, prefix="/training-sessions", tags=["training sessions"], responses=refusals(422)
)

# The audit's kind for an accompaniment exported (its record's reads are "accompaniment").
EXPORTED = "accompaniment exported"


def accompaniment_filters(
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
) -> AccompanimentFilters:
    """The filters the list and the export of accompaniments take."""
    return AccompanimentFilters(structure_id, departement, status_, last_milestone, opened_from, opened_to)


Filters = Annotated[AccompanimentFilters, Depends(accompaniment_filters)]
Sort = Annotated[AccompanimentSort, Query(description="`-` first: newest first")]


@accompaniments.get("", dependencies=[Depends(known_filters)])
def list_accompaniments(
    lists: ListsDep, identity: Staff, filters: Filters, sort: Sort = "requested_on", cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AccompanimentItem]:
    """List the accompaniments (of the token's territory), filtered, a page at a time, by
    the day they were opened then their id."""
    rows, following = lists.accompaniments(filters, identity.reach, sort, cursor, limit)
    return Page[AccompanimentItem](items=[AccompanimentItem.of(row) for row in rows], next=following)


@accompaniments.get(
    "/export",
    dependencies=[Depends(known_filters)],
    response_class=StreamingResponse,
    responses=export_responses(AccompanimentItem),
)
def export_accompaniments(
    lists: ListsDep,
    audit: AuditLogDep,
    identity: Staff,
    filters: Filters,
    export_format: FormatQuery,
    sort: Sort = "requested_on",
) -> StreamingResponse:
    """Export the accompaniments (of the token's territory) the filters select, with their
    stage (status, outcome, last milestone), as the list has them: a CSV file French Excel
    opens as it is (UTF-8 with a byte order mark, `;` separated), or a JSON array. Every
    accompaniment exported is logged in the audit."""
    pages = every_page(lambda cursor, limit: lists.accompaniments(filters, identity.reach, sort, cursor, limit))
    return export_response(
        export_format,
        "accompaniments",
        list(AccompanimentItem.model_fields),
        ([AccompanimentItem.of(row) for row in rows] for rows in pages),
        lambda page: audit.record_reads([item.id for item in page], EXPORTED),
    )


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
