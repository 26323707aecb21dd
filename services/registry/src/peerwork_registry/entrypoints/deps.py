from typing import Annotated

from fastapi import Depends, Request

from ..application import Registry
from ..lists.reads import Lists


# async: FastAPI would run a plain def in a worker thread, for an attribute read.
async def get_registry(request: Request) -> Registry:
    return request.app.state.registry


RegistryDep = Annotated[Registry, Depends(get_registry)]


async def get_lists(request: Request) -> Lists:
    return request.app.state.lists


ListsDep = Annotated[Lists, Depends(get_lists)]
