"""Connecting to NATS and declaring the streams the contracts define."""

import logging
from urllib.parse import unquote, urlsplit, urlunsplit

from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from peerwork_contracts.streams import DEAD_LETTERS, EVENTS, StreamSettings

log = logging.getLogger(__name__)

# The port `make run` serves NATS on: not 4222, which a system NATS may already hold.
LOCAL_PORT = 14222

_STREAM_NAME_IN_USE = 10058


def servers_and_credentials(url: str) -> tuple[list[str], str | None, str | None]:
    """The server addresses in ``url`` (comma-separated), without the credentials that
    may be written in them (percent-encoded), and those credentials."""
    servers, user, password = [], None, None
    for address in map(urlsplit, url.split(",")):
        if address.username is not None:
            user, password = unquote(address.username), unquote(address.password or "")
        servers.append(urlunsplit(address._replace(netloc=address.netloc.rsplit("@", 1)[-1])))
    return servers, user, password


async def connect(url: str, name: str) -> Client:
    """A connection that keeps reconnecting for as long as NATS is away.

    ``url`` is one address or several (a cluster), comma-separated, with the connection's
    credentials in them if it needs some."""
    servers, user, password = servers_and_credentials(url)
    client = Client()

    async def disconnected() -> None:
        if not client.is_closed:  # closing on purpose disconnects too
            log.warning("NATS connection lost; reconnecting to %s", ", ".join(servers))

    async def reconnected() -> None:
        log.info("NATS connection restored")

    async def error(exc: Exception) -> None:
        log.warning("NATS: %s", exc)

    await client.connect(
        servers,
        user=user,
        password=password,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        allow_reconnect=True,
        disconnected_cb=disconnected,
        reconnected_cb=reconnected,
        error_cb=error,
    )
    return client


def stream_config(settings: StreamSettings, replicas: int) -> StreamConfig:
    return StreamConfig(
        name=settings.name,
        subjects=list(settings.subjects),
        description=settings.description,
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        max_age=0,
        max_msgs=-1,
        max_bytes=-1,
        duplicate_window=settings.duplicate_window_seconds,
        allow_direct=True,
        allow_atomic=settings.atomic_publish or None,  # None leaves it out: servers before 2.12 have no such setting
        deny_delete=True,
        num_replicas=replicas,
    )


async def ensure_streams(js: JetStreamContext, replicas: int | None = None) -> None:
    """Creates the platform's streams, or brings their settings up to date.

    ``replicas``: copies of each stream in a cluster; None keeps what the stream has (one
    when it is created), so services need not know the cluster's size: the operator sets
    it once (``python -m peerwork_common.messaging.streams --replicas 3``)."""
    for settings in (EVENTS, DEAD_LETTERS):
        try:
            current = (await js.stream_info(settings.name)).config.num_replicas
        except NotFoundError:
            current = None
        config = stream_config(settings, replicas or current or 1)
        if current is None:
            try:
                await js.add_stream(config)
                continue
            except BadRequestError as error:
                if error.err_code != _STREAM_NAME_IN_USE:  # another service just created it
                    raise
        await js.update_stream(config)
