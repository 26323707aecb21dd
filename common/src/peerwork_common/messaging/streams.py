"""``python -m peerwork_common.messaging.streams --replicas N``: creates the platform's streams, or
updates their settings, with N copies of each in a NATS cluster.

Services create the streams they need with one copy when they are missing, and keep the
copies a stream has; a cluster's operator runs this once, before the services start."""

import argparse
import asyncio
import os

from peerwork_common.messaging.nats import connect, ensure_streams


async def declare(nats_url: str, replicas: int) -> None:
    connection = await connect(nats_url, name="peerwork-streams")
    try:
        await ensure_streams(connection.jetstream(), replicas)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m peerwork_common.messaging.streams")
    parser.add_argument("--replicas", type=int, required=True, help="copies of each stream (1 to 5)")
    parser.add_argument(
        "--nats-url",
        default=os.environ.get("NATS_URL", "nats://127.0.0.1:4222"),
        help="server(s), comma-separated, with credentials if needed (default: $NATS_URL)",
    )
    arguments = parser.parse_args()
    asyncio.run(declare(arguments.nats_url, arguments.replicas))
    print(f"streams declared with {arguments.replicas} replica(s)")


if __name__ == "__main__":
    main()
