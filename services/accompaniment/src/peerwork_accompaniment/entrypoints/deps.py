from typing import Annotated

from fastapi import Depends, Request

from ..application import Accompaniments


# async: FastAPI would run a plain def in a worker thread, for an attribute read.
async def get_accompaniments(request: Request) -> Accompaniments:
    return request.app.state.accompaniments


AccompanimentsDep = Annotated[Accompaniments, Depends(get_accompaniments)]
