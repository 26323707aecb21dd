"""A JetStream durable consumer made to deliver from a projection's position on: the
projection, not the consumer's ack floor, says how far it got (``consumer``)."""

import logging

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from peerwork_contracts import streams

log = logging.getLogger(__name__)


async def align(
    js: JetStreamContext, name: str, filters: tuple[str, ...], position: int, *, ack_wait: float, max_ack_pending: int
) -> None:
    """Leaves the durable consumer ``name`` as it is if it delivers after ``position`` with
    these settings, else makes it anew to do so."""
    try:
        info = await js.consumer_info(streams.EVENTS.name, name)
    except NotFoundError:
        info = None
    if info is not None:
        if (
            info.ack_floor.stream_seq == position
            and not info.num_ack_pending
            and _filters_of(info.config) == filters
            and info.config.ack_policy == AckPolicy.ALL
            and (info.config.max_ack_pending or 0) >= max_ack_pending
        ):
            return
        log.info("consumer %s: re-aligning on stream sequence %d", name, position)
        await js.delete_consumer(streams.EVENTS.name, name)
    await js.add_consumer(
        streams.EVENTS.name,
        ConsumerConfig(
            durable_name=name,
            # One subject is set as before, so that an existing consumer stays as it is.
            filter_subject=filters[0] if len(filters) == 1 else None,
            filter_subjects=list(filters) if len(filters) > 1 else None,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=position + 1,
            # One ack per batch: acking a message acknowledges every one before it.
            ack_policy=AckPolicy.ALL,
            ack_wait=ack_wait,
            max_ack_pending=max_ack_pending,
        ),
    )


def _filters_of(config: ConsumerConfig) -> tuple[str, ...]:
    if config.filter_subjects:
        return tuple(config.filter_subjects)
    return (config.filter_subject,) if config.filter_subject else ()
