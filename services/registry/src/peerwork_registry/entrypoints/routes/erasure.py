"""A peer worker's record erased at the person's request (GDPR art. 17)."""

from uuid import UUID

from fastapi import Request, Response, status
from fastapi.responses import JSONResponse

from peerwork_common.http.access import protected_router
from peerwork_common.http.exports import record_segment
from peerwork_common.http.refusals import refusals
from peerwork_common.security.auth import ADMIN
from peerwork_contracts import calendar

from ..deps import ListsDep, RegistryDep
from ..views import ErasurePending

# Erasure is for admins alone.
router = protected_router(ADMIN, prefix="/peer-workers", tags=["peer workers"], responses=refusals(422))


@router.delete(
    f"/{record_segment('peer_worker_id')}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        202: {"model": ErasurePending, "description": "Erased, but copies of the key are still on disk a moment"},
        **refusals(404, 409),
    },
)
def erase_peer_worker(peer_worker_id: UUID, registry: RegistryDep, lists: ListsDep, request: Request) -> Response:
    """Erase the peer worker's record at their request (GDPR art. 17): their personal fields
    can no longer be read anywhere, and the record answers 410 from now on; the anonymous
    counts they were part of stay as they were. A peer worker still in the census is
    withdrawn, and in no list. Publishes `peer_worker.erased`. Answers 204 once no copy of the person's key
    or name is left in the database's files; 202 while a reader of the database keeps one
    in its write-ahead log (SQLite): the service clears it by itself as soon as it can,
    and erasing again answers 202 until then, 204 after."""
    # The answers kept for retried commands about the person may show their name (a merge's,
    # kept under the merged record's id, shows the survivor's); deleted first, so that the
    # erasure's clearing of SQLite's log clears them too.
    for record_id in registry.records_of_person(peer_worker_id):
        request.app.state.idempotency.forget(record_id)
    # The lists drop the person's rows (their name's blind index) before the key goes, for
    # the same reason.
    if registry.erase_peer_worker(peer_worker_id, calendar.today(), before_destroying_key=lists.catch_up):
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    pending = ErasurePending(
        detail=f"peer worker {peer_worker_id} is erased, but a reader of the database still holds "
        "copies of the key in its write-ahead log: they are cleared as soon as it lets go, with no "
        "further request; DELETE again answers 204 once they are"
    )
    return JSONResponse(pending.model_dump(), status_code=status.HTTP_202_ACCEPTED)
