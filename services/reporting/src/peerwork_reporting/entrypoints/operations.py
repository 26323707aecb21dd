"""Operations on the views, for admins: rebuilding them from the stream."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from peerwork_common.http.access import protected_router
from peerwork_common.http.refusals import refusals
from peerwork_common.security.auth import ADMIN

from ..storage.rebuild import Rebuilder, RebuildStatus

router = protected_router(ADMIN, prefix="/operations", tags=["operations"])


def get_rebuilder(request: Request) -> Rebuilder:
    if request.app.state.rebuilder is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "this app was built without the views' rebuild")
    return request.app.state.rebuilder


RebuilderDep = Annotated[Rebuilder, Depends(get_rebuilder)]


@router.post("/rebuild", status_code=status.HTTP_202_ACCEPTED, responses=refusals(409))
async def start_rebuild(rebuilder: RebuilderDep) -> RebuildStatus:
    """Rebuild the views from the start of the stream into a fresh store, check it agrees
    with the live one, and switch over; the statistics keep being served meanwhile."""
    # In the event loop, where the rebuild runs as a task beside the live consumer.
    if rebuilder.running:
        raise HTTPException(status.HTTP_409_CONFLICT, "a rebuild is already running: follow it with GET")
    return rebuilder.start()


@router.get("/rebuild")
async def rebuild_status(rebuilder: RebuilderDep) -> RebuildStatus:
    """Where the last rebuild stands."""
    return rebuilder.status
