from typing import Annotated

from fastapi import Depends, Request

from ..reads.statistics import Statistics


# async: FastAPI would run a plain def in a worker thread, for an attribute read.
async def get_statistics(request: Request) -> Statistics:
    return request.app.state.statistics


StatisticsDep = Annotated[Statistics, Depends(get_statistics)]
