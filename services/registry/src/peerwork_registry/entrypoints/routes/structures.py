from uuid import UUID

from fastapi import status

from peerwork_common.access import protected_router
from peerwork_common.auth import STAFF
from peerwork_common.refusals import refusals
from peerwork_common.schemas import Created

from ..deps import RegistryDep
from ..schemas import RegisterStructure, StructureView

# Staff only (admins too), checked before the route looks anything up.
router = protected_router(STAFF, prefix="/structures", tags=["partner structures"], responses=refusals(422))


@router.post("", status_code=status.HTTP_201_CREATED, responses=refusals(400, 409, 413))
def register_structure(command: RegisterStructure, registry: RegistryDep) -> Created:
    """Register a partner structure in the census."""
    structure_id = registry.register_structure(
        command.name, command.siret, command.departement, command.sector, command.effective_on
    )
    return Created(id=structure_id)


@router.get("/{structure_id}", responses=refusals(404))
def get_structure(structure_id: UUID, registry: RegistryDep) -> StructureView:
    """Read a partner structure."""
    return StructureView.of(registry.get_structure(structure_id))
