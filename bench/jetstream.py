"""Baselines 1b, 1c and 1d: plain nats-py JetStream publish (one by one, then many in
flight) and pull-consume rates."""

from dataclasses import dataclass
from time import perf_counter

import nats
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig

STREAM = "BENCH_SCRATCH"
SUBJECT = "bench.scratch"
BODY = b"x" * 1024
IN_FLIGHT = 4000  # nats-py's default bound on unacknowledged publish_async calls


@dataclass
class RawRates:
    publish: float  # msgs/s, each publication awaited before the next
    concurrent_publish: float  # msgs/s, up to IN_FLIGHT publications awaiting their acks
    consume: float  # msgs/s


async def _one_by_one(js: JetStreamContext, n: int) -> float:
    started = perf_counter()
    for _ in range(n):
        await js.publish(SUBJECT, BODY, stream=STREAM)
    return n / (perf_counter() - started)


async def _concurrent(js: JetStreamContext, n: int) -> float:
    """Until the last ack: every publication checked, as the one-by-one ones are."""
    started = perf_counter()
    acks = [await js.publish_async(SUBJECT, BODY, stream=STREAM) for _ in range(n)]
    await js.publish_async_completed()
    elapsed = perf_counter() - started
    for ack in acks:
        ack.result()  # raises if the stream refused one
    return n / elapsed


async def _consume(js: JetStreamContext, n: int, batch: int) -> float:
    subscription = await js.pull_subscribe(SUBJECT, durable="bench-raw", stream=STREAM)
    for message in await subscription.fetch(1, timeout=5):  # warm-up
        await message.ack()
    consumed = 0
    started = perf_counter()
    while consumed < n:
        for message in await subscription.fetch(batch, timeout=5):
            await message.ack()
            consumed += 1
    return consumed / (perf_counter() - started)


async def raw_rates(nats_url: str, n: int, batch: int = 200) -> RawRates:
    """Over ``n`` ~1 KB messages each way on a scratch stream (file storage); the consumer
    reads ``n`` of the ``2n + 1`` published."""
    connection = await nats.connect(nats_url, name="bench-raw")
    try:
        js = connection.jetstream(publish_async_max_pending=IN_FLIGHT)
        await js.add_stream(StreamConfig(name=STREAM, subjects=["bench.>"], storage=StorageType.FILE))
        await js.publish(SUBJECT, BODY, stream=STREAM)  # warm-up, consumed as well
        publish = await _one_by_one(js, n)
        concurrent = await _concurrent(js, n)
        consume = await _consume(js, n, batch)
        await js.delete_stream(STREAM)
        return RawRates(publish, concurrent, consume)
    finally:
        await connection.close()
