"""Which replica of a write service relays: the one holding the service's relay lock.

Every replica runs a relay, but only the lock holder publishes; the others wait to take
over. Were two to publish for a moment (a holder cut off from its database but not yet
aware of it), the stream would still refuse the second copy of anything: each publication
states the sequence it follows. The lock only spares that race and its retries.

On PostgreSQL the lock is a session advisory lock held by a connection of its own: when
the holder dies, its connection and the lock go with it. That connection also LISTENs on
the channel eventsourcing NOTIFYs on every insert, so the relay wakes on events saved by
any replica instead of polling. On SQLite, one machine's store, the lock is an ``flock``
on a file beside the store, released by the kernel when the holder dies.
"""

import asyncio
import fcntl
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from pathlib import Path
from typing import Protocol

import psycopg
from psycopg import sql

from peerwork_common.eventstore.application import WriteApplication
from peerwork_common.settings import WriteServiceSettings

log = logging.getLogger(__name__)


class Leadership(Protocol):
    # How often the leading relay looks for events saved by other replicas unannounced.
    poll_interval: float

    def leading(self, wake: Callable[[], None]) -> AbstractAsyncContextManager["asyncio.Future[None]"]:
        """Waits until this replica holds the lock, then yields a future that completes if
        the lock is lost; ``wake`` is called when another replica saved events."""


class FileLeadership:
    poll_interval = 1.0

    def __init__(self, path: Path, retry: float = 1.0) -> None:
        self._path = path
        self._retry = retry

    @asynccontextmanager
    async def leading(self, wake: Callable[[], None]) -> AsyncIterator["asyncio.Future[None]"]:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._path, "a") as lock_file:
            waiting_logged = False
            while True:
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not waiting_logged:
                        log.info("%s: another replica holds the lock; waiting to take over", self._path)
                        waiting_logged = True
                    await asyncio.sleep(self._retry)
            try:
                # The kernel keeps the lock for as long as this process lives.
                yield asyncio.get_running_loop().create_future()
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)


class PostgresLeadership:
    poll_interval = 30.0  # a safety net: every save is announced by NOTIFY

    def __init__(
        self, conninfo: str, name: str, channel: str, *, retry: float = 1.0, check: float = 2.0
    ) -> None:
        """``name`` identifies the lock in the database; ``check``: how often the held
        connection is checked when no notification comes."""
        self._conninfo = conninfo
        self._name = name
        self._key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
        self._channel = channel
        self._retry = retry
        self._check = check

    @asynccontextmanager
    async def leading(self, wake: Callable[[], None]) -> AsyncIterator["asyncio.Future[None]"]:
        connection = await self._acquire()
        lost = asyncio.get_running_loop().create_future()
        watcher = asyncio.create_task(self._watch(connection, wake, lost), name=f"{self._name} watch")
        try:
            yield lost
        finally:
            watcher.cancel()
            with suppress(asyncio.CancelledError):
                await watcher
            with suppress(psycopg.Error):
                await connection.close()  # releases the lock

    async def _acquire(self) -> psycopg.AsyncConnection:
        waiting_logged = False
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            except psycopg.OperationalError as error:
                log.warning("%s: database unavailable (%s); retrying", self._name, error)
                await asyncio.sleep(self._retry)
                continue
            try:
                await connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                cursor = await connection.execute("SELECT pg_try_advisory_lock(%s)", (self._key,))
                (held,) = await cursor.fetchone()
            except psycopg.Error as error:
                log.warning("%s: could not ask for the lock (%s); retrying", self._name, error)
                held = False
            if held:
                return connection
            await connection.close()
            if not waiting_logged:
                log.info("%s: another replica holds the lock; waiting to take over", self._name)
                waiting_logged = True
            await asyncio.sleep(self._retry)

    async def _watch(
        self, connection: psycopg.AsyncConnection, wake: Callable[[], None], lost: "asyncio.Future[None]"
    ) -> None:
        try:
            while True:
                async for _ in connection.notifies(timeout=self._check):
                    wake()
                await connection.execute("SELECT 1")  # a dead connection has lost the lock
        except psycopg.Error as error:
            log.warning("%s: lock connection lost (%s)", self._name, error)
            lost.set_result(None)


def leadership(settings: WriteServiceSettings, app: WriteApplication, role: str) -> Leadership:
    """The lock that lets one replica at a time play ``role`` (relay, a consumer) for ``app``."""
    if settings.persistence == "postgres":
        return PostgresLeadership(
            settings.postgres_conninfo(),
            f"peerwork {role} {settings.postgres_dbname}.{settings.postgres_schema}.{app.name}",
            app.recorder.channel_name,
        )
    return FileLeadership(settings.sqlite_path.with_name(f"{settings.sqlite_path.name}.{role}.lock"))


async def run_while_leading(
    role: str, leadership: Leadership, run: Callable[[], Awaitable[None]], wake: Callable[[], None]
) -> None:
    """Runs ``run()`` whenever this replica holds the lock, until cancelled; an error
    ``run`` raises ends this too."""
    while True:
        async with leadership.leading(wake) as lost:
            log.info("%s: this replica leads", role)
            running = asyncio.create_task(run())
            await asyncio.wait({running, lost}, return_when=asyncio.FIRST_COMPLETED)
            if running.done():
                running.result()
            running.cancel()
            with suppress(asyncio.CancelledError):
                await running
            log.warning("%s: lost the lock; waiting to take over again", role)
