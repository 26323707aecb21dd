from uuid import UUID

from fastapi import Depends, status

from peerwork_common.http.access import Staff, check_territory, protected_router
from peerwork_common.http.refusals import duplicate, refusals
from peerwork_common.http.schemas import Created
from peerwork_common.lists.page_api import DEFAULT_LIMIT, Cursor, Limit, Page, known_filters
from peerwork_common.security.auth import STAFF

from ..deps import ListsDep, RegistryDep
from ..list_filters import StructureFiltersDep, StructureSortQuery
from ..list_schemas import StructureItem
from ..schemas import CorrectStructure, RegisterStructure
from ..views import StructureView

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/structures", tags=["partner structures"], responses=refusals(422))


@router.post("", status_code=status.HTTP_201_CREATED, responses={**refusals(400, 413), **duplicate()})
def register_structure(command: RegisterStructure, registry: RegistryDep) -> Created:
    """Register a partner structure in the census. A structure with the same SIRET, or
    whose name reads the same in the département, answers 409 with its id (the name unless
    `despite_same_name`)."""
    structure_id = registry.register_structure(
        command.name,
        command.siret,
        command.departement,
        command.sector,
        command.effective_on,
        despite_same_name=command.despite_same_name,
    )
    return Created(id=structure_id)


@router.get("/{structure_id}", responses=refusals(404))
def get_structure(structure_id: UUID, registry: RegistryDep) -> StructureView:
    """Read a partner structure."""
    return StructureView.of(registry.get_structure(structure_id))


@router.get("", dependencies=[Depends(known_filters)])
def list_structures(
    lists: ListsDep,
    identity: Staff,
    filters: StructureFiltersDep,
    sort: StructureSortQuery = "name",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[StructureItem]:
    """List the partner structures (of the token's territory), filtered, a page at a time."""
    rows, following = lists.structures(filters, identity.reach, sort, cursor, limit)
    return Page[StructureItem](items=[StructureItem.of(row) for row in rows], next=following)


@router.post("/{structure_id}/correct", responses={**refusals(400, 404, 413), **duplicate()})
def correct_structure(
    structure_id: UUID, command: CorrectStructure, registry: RegistryDep, identity: Staff
) -> StructureView:
    """Correct what was recorded by mistake (name, SIRET, sector, département), as if it had
    been so since the registration; publishes `partner_structure.corrected`, without the
    reason. 409 when nothing changes, or when another structure holds the SIRET or (unless
    `despite_same_name`) the name, with its id. A structure outside the token's territory
    answers 404, and cannot be corrected into a département outside it (403)."""
    registry.get_structure(structure_id, identity.covers)
    if command.departement is not None:
        check_territory(identity, command.departement, "a structure corrected")
    structure = registry.correct_structure(
        structure_id,
        command.reason,
        command.changes(),
        despite_same_name=command.despite_same_name,
        within=identity.covers,
    )
    return StructureView.of(structure)
