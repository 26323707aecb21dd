"""Baselines 1b and 1c: plain nats-py JetStream publish and pull-consume rates."""

from time import perf_counter

import nats
from nats.js.api import StorageType, StreamConfig

STREAM = "BENCH_SCRATCH"
SUBJECT = "bench.scratch"


async def raw_rates(nats_url: str, n: int, batch: int = 200) -> tuple[float, float]:
    """(publish msgs/s, consume msgs/s) over ``n`` ~1 KB messages on a scratch stream."""
    connection = await nats.connect(nats_url, name="bench-raw")
    try:
        js = connection.jetstream()
        await js.add_stream(StreamConfig(name=STREAM, subjects=["bench.>"], storage=StorageType.FILE))
        body = b"x" * 1024

        await js.publish(SUBJECT, body, stream=STREAM)  # warm-up, consumed below as well
        started = perf_counter()
        for _ in range(n):
            await js.publish(SUBJECT, body, stream=STREAM)
        publish_rate = n / (perf_counter() - started)

        subscription = await js.pull_subscribe(SUBJECT, durable="bench-raw", stream=STREAM)
        warm_up = await subscription.fetch(1, timeout=5)
        for message in warm_up:
            await message.ack()
        consumed = 0
        started = perf_counter()
        while consumed < n:
            for message in await subscription.fetch(batch, timeout=5):
                await message.ack()
                consumed += 1
        consume_rate = consumed / (perf_counter() - started)
        await js.delete_stream(STREAM)
        return publish_rate, consume_rate
    finally:
        await connection.close()
