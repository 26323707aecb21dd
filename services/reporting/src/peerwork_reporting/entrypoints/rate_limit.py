"""A ceiling on the public statistics' requests per client address, so that one client
cannot take the service's time from the others. Whoever sends a valid token (staff,
analysts, admins) is not limited.

Counted in this process's memory: each replica counts for itself."""

import math
import time

from fastapi import APIRouter, Depends, HTTPException, Request, status
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from peerwork_common.http.access import Caller
from peerwork_common.http.refusals import refusals

from .access import PublicRoute


class PublicRateLimit:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._item = RateLimitItemPerMinute(per_minute)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    async def wait(self, client: str) -> int:
        """Counts a request from ``client``: 0 if it is taken, else the seconds to wait."""
        if await self._limiter.hit(self._item, client):
            return 0
        stats = await self._limiter.get_window_stats(self._item, client)
        return max(1, math.ceil(stats.reset_time - time.time()))


async def within_rate_limit(request: Request, identity: Caller) -> None:
    """Refuses with 429 a public request over its address's limit."""
    limit: PublicRateLimit | None = request.app.state.public_rate_limit
    if limit is None or identity is not None:
        return
    client = request.client.host if request.client else "unknown"
    if seconds := await limit.wait(client):
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"more than {limit.per_minute} requests a minute from {client}: "
            f"try again in {seconds} s (or send a bearer token)",
            headers={"Retry-After": str(seconds)},
        )


def public_router(prefix: str, tags: list[str]) -> APIRouter:
    """A router of public figures: anyone may call it, within the rate limit."""
    return APIRouter(
        prefix=prefix,
        tags=tags,
        route_class=PublicRoute,
        dependencies=[Depends(within_rate_limit)],
        responses=refusals(401, 403, 422, 429),  # 401, 403: a bad token, or exact figures without the role
    )
