"""Small helpers shared by the tests."""

import asyncio
import time
from collections.abc import Callable

import nats
from nats.js.api import ConsumerConfig, DeliverPolicy

from peerwork_contracts import streams


async def stream_messages(nats_url: str, subject: str = "peerwork.>") -> list:
    """Every message of the events stream on ``subject``, in stream order."""
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        info = await js.stream_info(streams.EVENTS.name)
        if info.state.messages == 0:
            return []
        subscription = await js.pull_subscribe(
            subject,
            stream=streams.EVENTS.name,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, inactive_threshold=5),
        )
        messages = []
        while True:
            try:
                batch = await subscription.fetch(500, timeout=0.5)
            except (nats.errors.TimeoutError, asyncio.TimeoutError):
                return messages
            messages.extend(batch)
    finally:
        await connection.close()


def eventually(check: Callable[[], bool], timeout: float = 20.0, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


async def eventually_async(check, timeout: float = 20.0, interval: float = 0.05) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


class ServedApp:
    """Serves an ASGI app with uvicorn on a free port, in a thread, for a real HTTP client."""

    def __init__(self, app) -> None:  # noqa: ANN001
        import uvicorn

        from peerwork_common.nats_server import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        )

    def __enter__(self) -> "ServedApp":
        import threading

        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        eventually(lambda: self._server.started, timeout=15)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
