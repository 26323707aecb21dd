"""Baselines 1b, 1c and 1d: plain nats-py JetStream publish (one by one, many in flight,
then in atomic batches) and pull-consume rates."""

from dataclasses import dataclass
from time import perf_counter

import nats
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig

from peerwork_common.messaging import atomic_batches

STREAM = "BENCH_SCRATCH"
SUBJECT = "bench.scratch"
BODY = b"x" * 1024
IN_FLIGHT = 4000  # nats-py's default bound on unacknowledged publish_async calls
ATOMIC_STREAM = "BENCH_ATOMIC"  # a stream of its own: the other baselines' stays as it was
ATOMIC_SUBJECT = "bench-atomic.scratch"


@dataclass
class RawRates:
    publish: float  # msgs/s, each publication awaited before the next
    concurrent_publish: float  # msgs/s, up to IN_FLIGHT publications awaiting their acks
    atomic_publish: float  # msgs/s, in atomic batches of the most a batch holds, each awaited
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


async def _atomic(connection: nats.NATS, js: JetStreamContext, n: int) -> float:
    """What the server allows the relay: batches as large as it takes, one committed at a time."""
    await js.add_stream(StreamConfig(name=ATOMIC_STREAM, subjects=[ATOMIC_SUBJECT], storage=StorageType.FILE,
                                     allow_atomic=True))
    batch = [atomic_batches.Message(ATOMIC_SUBJECT, BODY, {})] * atomic_batches.MOST_MESSAGES
    await atomic_batches.publish_atomically(connection, batch, timeout=10)  # warm-up
    started = perf_counter()
    for _ in range(n // len(batch)):
        await atomic_batches.publish_atomically(connection, batch, timeout=10)
    elapsed = perf_counter() - started
    await js.delete_stream(ATOMIC_STREAM)
    return n // len(batch) * len(batch) / elapsed


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
    reads ``n`` of the ``2n + 1`` published. Then ``n`` in atomic batches on a stream of
    their own."""
    connection = await nats.connect(nats_url, name="bench-raw")
    try:
        js = connection.jetstream(publish_async_max_pending=IN_FLIGHT)
        await js.add_stream(StreamConfig(name=STREAM, subjects=["bench.>"], storage=StorageType.FILE))
        await js.publish(SUBJECT, BODY, stream=STREAM)  # warm-up, consumed as well
        publish = await _one_by_one(js, n)
        concurrent = await _concurrent(js, n)
        consume = await _consume(js, n, batch)
        await js.delete_stream(STREAM)
        atomic = await _atomic(connection, js, n)
        return RawRates(publish, concurrent, atomic, consume)
    finally:
        await connection.close()
