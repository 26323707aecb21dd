from typing import Annotated

from fastapi import Depends, Request

from ..application import Accompaniments
from ..lists.reads import Lists
from ..registry_records import RegistryRecords
from .references import RegistryReferences


# async: FastAPI would run a plain def in a worker thread, for an attribute read.
async def get_accompaniments(request: Request) -> Accompaniments:
    return request.app.state.accompaniments


async def get_registry_records(request: Request) -> RegistryRecords:
    return request.app.state.registry_records


async def get_registry_references(request: Request) -> RegistryReferences:
    return request.app.state.registry_references


AccompanimentsDep = Annotated[Accompaniments, Depends(get_accompaniments)]
RegistryRecordsDep = Annotated[RegistryRecords, Depends(get_registry_records)]
RegistryReferencesDep = Annotated[RegistryReferences, Depends(get_registry_references)]


async def get_lists(request: Request) -> Lists:
    return request.app.state.lists


ListsDep = Annotated[Lists, Depends(get_lists)]
