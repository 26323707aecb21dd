from typing import Annotated

from fastapi import Depends, Request

from ..statistics import Statistics


def get_statistics(request: Request) -> Statistics:
    return request.app.state.statistics


StatisticsDep = Annotated[Statistics, Depends(get_statistics)]
