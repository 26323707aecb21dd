from typing import Annotated

from fastapi import Depends, Request

from ..application import Accompaniments


def get_accompaniments(request: Request) -> Accompaniments:
    return request.app.state.accompaniments


AccompanimentsDep = Annotated[Accompaniments, Depends(get_accompaniments)]
