"""``/audit``, for admins: who read people's records (the audit log), and who caused each
event of a record (the provenance its events were stored with)."""

import re
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel, BeforeValidator, Field

from peerwork_common.domain.errors import NotFoundError
from peerwork_common.eventstore.application import WriteApplication
from peerwork_common.http.access import protected_router
from peerwork_common.http.refusals import refusals
from peerwork_common.security.audit_log import MAX_PAGE, AuditLog
from peerwork_common.security.auth import ADMIN


class AuditedRead(BaseModel):
    id: int = Field(description="Entry id; `before` pages back from it")
    at: datetime = Field(description="When the record was read (UTC)")
    subject: str = Field(description="Subject of the token that read it")
    record_id: UUID
    record_kind: str = Field(examples=["peer worker"])
    request_id: str | None = Field(description="The request's X-Request-ID")


class RecordedEvent(BaseModel):
    version: int = Field(description="The record's version after the event")
    event: str = Field(examples=["PeerWorker.Registered"])
    recorded_at: datetime
    by: str | None = Field(description="Subject of the token, or the service whose event caused it")
    request_id: str | None = Field(description="The X-Request-ID of the request that stored it")
    cause: str | None = Field(description="Id of the other service's event that caused it")


def install_audit(app: FastAPI, application: WriteApplication) -> None:
    """Gives ``app`` its audit log, in ``application``'s database, and the ``/audit`` routes."""
    app.state.audit_log = AuditLog.of(application)
    app.state.audited_application = application
    app.include_router(router)


async def audit_log(request: Request) -> AuditLog:
    return request.app.state.audit_log


AuditLogDep = Annotated[AuditLog, Depends(audit_log)]

_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([T ].+)?")


def _iso_moment(value: object) -> object:
    # pydantic alone takes a number as seconds since 1970: since=0.5 for 1 January 1970.
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_MOMENT.fullmatch(value)):
        return value
    raise ValueError("expected a moment as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, with Z or an offset (+01:00)")


Moment = Annotated[datetime, BeforeValidator(_iso_moment)]

router = protected_router(ADMIN, prefix="/audit", tags=["audit"], responses=refusals(422))


@router.get("")
def list_reads(
    audit: AuditLogDep,
    record_id: UUID | None = None,
    subject: Annotated[str | None, Query(max_length=256, pattern=r"^[^\x00-\x1f]+$")] = None,
    since: Moment | None = None,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> list[AuditedRead]:
    """Reads of people's records, newest first, filtered by record, token subject, and time."""
    entries = audit.entries(record_id=record_id, subject=subject, since=_utc(since), before=before, limit=limit)
    return [AuditedRead(**vars(entry)) for entry in entries]


@router.get("/records/{record_id}", responses=refusals(404))
def record_history(record_id: UUID, request: Request) -> list[RecordedEvent]:
    """Every event stored for a record, oldest first, with who caused it and in which request."""
    application: WriteApplication = request.app.state.audited_application
    history = application.history(record_id)
    if not history:
        raise NotFoundError(f"no record has the id {record_id}")
    return [
        RecordedEvent(
            version=event.originator_version,
            event=type(event).__qualname__,
            recorded_at=event.timestamp,
            by=provenance.by if provenance else None,
            request_id=provenance.request_id if provenance else None,
            cause=provenance.cause if provenance else None,
        )
        for event, provenance in history
    ]


def _utc(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC (naive: taken as UTC); clamped at the calendar's ends."""
    if moment is None or moment.tzinfo is None:
        return None if moment is None else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if moment.year == 1 else datetime.max.replace(tzinfo=UTC)
