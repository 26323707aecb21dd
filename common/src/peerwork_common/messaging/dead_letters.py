"""``python -m peerwork_<service> dead-letters list | replay SEQUENCE...``: what a consumer
parked, and why; and, once the cause is fixed, those messages applied.

Listing reads the dead-letter stream. Replaying asks the service's running consumer
(``DurableConsumer.replay``), which applies them between two batches: its projection
applies a parked event once, and answers ``UNCHANGED`` to a replay of what it applied.
Both connect with the service's own NATS settings.
"""

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import nats
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import NotFoundError

from peerwork_common.messaging.nats import servers_and_credentials
from peerwork_common.messaging.parking import replay_subject
from peerwork_common.messaging.projections import APPLIED, UNCHANGED
from peerwork_contracts import streams, subjects


@dataclass(frozen=True)
class Parked:
    consumer: str
    sequence: int  # on the dead-letter stream: what ``replay`` takes
    subject: str  # where it was published
    original_sequence: int  # on the events stream
    reason: str


async def _connected(nats_url: str) -> nats.NATS:
    servers, user, password = servers_and_credentials(nats_url)
    # An operator's command: it says NATS is away rather than waiting for it.
    async def quiet(error: Exception) -> None:  # raised to the caller: no traceback logged too
        pass

    return await nats.connect(
        servers, user=user, password=password, allow_reconnect=False, max_reconnect_attempts=1,
        reconnect_time_wait=1, connect_timeout=5, error_cb=quiet,
    )


async def parked(nats_url: str, consumer: str) -> list[Parked]:
    """Every message ``consumer`` parked, oldest first."""
    connection = await _connected(nats_url)
    found, sequence = [], 1
    try:
        js = connection.jetstream()
        while True:
            try:
                message = await js.get_msg(
                    streams.DEAD_LETTERS.name, sequence, subject=subjects.dead_letter_subject(consumer), next=True
                )
            except NotFoundError:
                return found
            headers = message.headers or {}
            found.append(Parked(
                consumer, message.seq, headers.get(streams.ORIGINAL_SUBJECT_HEADER, "?"),
                int(headers.get(streams.ORIGINAL_SEQUENCE_HEADER, 0)), headers.get(streams.ERROR_HEADER, ""),
            ))
            sequence = message.seq + 1
    finally:
        await connection.close()


class NotRunning(RuntimeError):
    """No consumer of that name is running to replay the messages."""


async def replay(nats_url: str, consumer: str, sequences: Sequence[int], timeout: float = 30.0) -> dict[int, str]:
    """What came of each message replayed: APPLIED, UNCHANGED or ``refused: <why>``."""
    connection = await _connected(nats_url)
    try:
        answer = await connection.request(
            replay_subject(consumer), json.dumps({"sequences": list(sequences)}).encode(), timeout=timeout
        )
    except (NoRespondersError, NatsTimeout) as error:
        raise NotRunning(
            f"no consumer {consumer!r} answered ({error.__class__.__name__}): replaying needs the service "
            "running, and connected to NATS"
        ) from None
    finally:
        await connection.close()
    body = json.loads(answer.data)
    if "error" in body:
        raise NotRunning(f"consumer {consumer!r}: {body['error']}")
    return {int(sequence): outcome for sequence, outcome in body["outcomes"].items()}


def main(argv: Sequence[str], nats_url: str, consumer: str, program: str, replays_for: Sequence[str] = ()) -> int:
    """The command line: 0 when every message listed or replayed is applied, 1 otherwise.
    ``replays_for``: the other consumers ``consumer`` replays the dead letters of, listed too."""
    parser = argparse.ArgumentParser(prog=f"{program} dead-letters", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help=f"what consumer {consumer!r} parked, and why")
    replaying = commands.add_parser("replay", help="apply these parked messages, now that the cause is fixed")
    replaying.add_argument("sequences", nargs="+", type=int, metavar="SEQUENCE", help="as `list` numbers them")
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "list":
            for name in (consumer, *replays_for):
                for message in asyncio.run(parked(nats_url, name)):
                    print(f"{message.sequence}\t{name}\t{message.subject} (events stream "
                          f"{message.original_sequence})\t{message.reason}")
            return 0
        outcomes = asyncio.run(replay(nats_url, consumer, arguments.sequences))
    except NotRunning as error:
        print(f"{program} dead-letters: {error}", file=sys.stderr)
        return 1
    except (OSError, nats.errors.Error) as error:
        servers = ", ".join(servers_and_credentials(nats_url)[0])
        print(f"{program} dead-letters: cannot use NATS at {servers} ({error}): check *_NATS_URL", file=sys.stderr)
        return 1
    for sequence, outcome in sorted(outcomes.items()):
        print(f"{sequence}\t{outcome}")
    return 0 if all(outcome in (APPLIED, UNCHANGED) for outcome in outcomes.values()) else 1
