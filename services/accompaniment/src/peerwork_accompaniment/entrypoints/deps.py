from typing import Annotated

from fastapi import Depends, Request

from ..application import Accompaniments
from ..registry_records import RegistryRecords
from .references import StructureReferences


# async: FastAPI would run a plain def in a worker thread, for an attribute read.
async def get_accompaniments(request: Request) -> Accompaniments:
    return request.app.state.accompaniments


async def get_registry_records(request: Request) -> RegistryRecords:
    return request.app.state.registry_records


async def get_structure_references(request: Request) -> StructureReferences:
    return request.app.state.structure_references


AccompanimentsDep = Annotated[Accompaniments, Depends(get_accompaniments)]
RegistryRecordsDep = Annotated[RegistryRecords, Depends(get_registry_records)]
StructureReferencesDep = Annotated[StructureReferences, Depends(get_structure_references)]
