"""Operations on the accompaniment's read models, for admins."""

from pydantic import BaseModel

from peerwork_common.http.access import protected_router
from peerwork_common.security.auth import ADMIN

from ..deps import ListsDep

router = protected_router(ADMIN, prefix="/operations", tags=["operations"])


class Rebuilt(BaseModel):
    position: int  # the last notification of the accompaniment's log the lists now hold


@router.post("/lists/rebuild")
def rebuild_lists(lists: ListsDep) -> Rebuilt:
    """Rebuild the accompaniments' and training sessions' lists from the service's whole log,
    in one transaction: they are read as they were until it is done."""
    return Rebuilt(position=lists.rebuild())
