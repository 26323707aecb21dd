from typing import Annotated

from fastapi import Depends, Request

from ..application import Registry


def get_registry(request: Request) -> Registry:
    return request.app.state.registry


RegistryDep = Annotated[Registry, Depends(get_registry)]
