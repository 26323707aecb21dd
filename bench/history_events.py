"""The long history's events: a synthetic registry history put on the stream at once, and
a steady stream of registrations after it.

The history keeps to the registry's rules, each peer worker's events in order:
registrations since 2015, moves, employments (some ended) and withdrawals.
"""

import asyncio
import random
import uuid
from datetime import UTC, date, datetime, timedelta

import nats

from peerwork_common.messaging.nats import ensure_streams
from peerwork_contracts import geography, streams
from peerwork_contracts import registry as events
from peerwork_contracts.calendar import today
from peerwork_contracts.envelope import event_id_for

FIRST_DAY = date(2015, 1, 1)
DAYS = 3650
RECORDED = datetime(2025, 1, 1, tzinfo=UTC)
DOMAINS = ["mental_health", "disability", "precarity_homelessness", "addiction", "violence", "other"]


def _event(kind: type[events.Event], **fields: object) -> events.Event:
    """Validated by pydantic, with its deterministic id, but not looked over for values off
    its contract as ``Event.build`` does: that is 80% of making one (~95 µs), and the
    history's values are all the contracts' own."""
    return kind(event_id=event_id_for(fields["aggregate_id"], fields["aggregate_version"]), **fields)


def _registration(worker: uuid.UUID, position: int, day: date, departement: str, domains: list[str],
                  recorded: datetime = RECORDED) -> events.Event:
    return _event(
        events.PeerWorkerRegistered, occurred_at=day, recorded_at=recorded, position=position,
        aggregate_id=worker, aggregate_version=1,
        payload=events.PeerWorkerRegisteredPayload(departement=departement, domains=domains),
    )


def history(total: int, rng: random.Random) -> list[events.Event]:
    """About ``total`` events: a fifth structures and registrations, the rest what follows."""
    departements = list(geography.DEPARTEMENTS)
    out: list[events.Event] = []

    def add(kind: type[events.Event], aggregate: uuid.UUID, version: int, day: date, payload: object) -> None:
        out.append(_event(kind, occurred_at=day, recorded_at=RECORDED, position=len(out) + 1,
                          aggregate_id=aggregate, aggregate_version=version, payload=payload))

    structures = [uuid.uuid4() for _ in range(total // 50)]
    for structure in structures:
        add(events.PartnerStructureRegistered, structure, 1, FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
            events.PartnerStructureRegisteredPayload(name="S", siret=None, departement=rng.choice(departements),
                                                     sector=rng.choice(["culture", "addiction", "other"])))
    while len(out) < total:
        worker, version = uuid.uuid4(), 1
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        home = rng.choice(departements)
        out.append(_registration(worker, len(out) + 1, day, home, rng.sample(DOMAINS, rng.randint(1, 2))))
        if rng.random() < 0.3:
            day, version, moved_to = day + timedelta(days=rng.randint(1, 400)), version + 1, rng.choice(departements)
            if moved_to != home:
                add(events.PeerWorkerMoved, worker, version, day,
                    events.PeerWorkerMovedPayload(from_departement=home, to_departement=moved_to))
                home = moved_to
        if rng.random() < 0.7:
            employment, starts_on = uuid.uuid4(), day + timedelta(days=rng.randint(0, 200))
            employer, version = rng.choice(structures), version + 1
            add(events.EmploymentRecorded, worker, version, starts_on,
                events.EmploymentRecordedPayload(employment_id=employment, structure_id=employer,
                                                 starts_on=starts_on, ends_on=None))
            day = starts_on
            if rng.random() < 0.4:
                day, version = day + timedelta(days=rng.randint(1, 700)), version + 1
                add(events.EmploymentEnded, worker, version, day,
                    events.EmploymentEndedPayload(employment_id=employment, structure_id=employer, ends_on=day))
        if rng.random() < 0.2:
            day, version = day + timedelta(days=rng.randint(0, 500)), version + 1
            add(events.PeerWorkerWithdrawn, worker, version, day,
                events.PeerWorkerWithdrawnPayload(departement=home))
    return out


async def publish(nats_url: str, history: list[events.Event]) -> int:
    """Puts ``history`` on a fresh events stream; returns how many messages it holds."""
    connection = await nats.connect(nats_url, name="bench-history")
    try:
        js = connection.jetstream()
        await ensure_streams(js)
        # Core publishes, flushed in blocks: the stream takes them in; acked publishing of a
        # million messages one by one would take minutes and is measured elsewhere.
        for index, event in enumerate(history):
            await connection.publish(event.subject(), event.model_dump_json().encode())
            if index % 5000 == 4999:
                await connection.flush()
        await connection.flush()
        while (info := await js.stream_info(streams.EVENTS.name)).state.messages < len(history):
            await asyncio.sleep(0.2)
        return info.state.messages
    finally:
        await connection.close()


async def steady_stream(nats_url: str, after: int, rate: float, seconds: float) -> int:
    """Registrations of today, one every ``1 / rate`` s, each awaited as the relay awaits its
    publications, numbered on from the history's ``after`` events; returns the stream's last
    sequence. Not through the registry: a fresh registry's own events would be numbered from 1,
    which reporting skips as already applied (the history holds positions 1 to ``after``)."""
    connection = await nats.connect(nats_url, name="bench-steady")
    try:
        js = connection.jetstream()
        started, n, ack = asyncio.get_running_loop().time(), int(rate * seconds), None
        for index in range(n):
            delay = started + index / rate - asyncio.get_running_loop().time()
            if delay > 0:
                await asyncio.sleep(delay)
            event = _registration(uuid.uuid4(), after + index + 1, today(), "38", ["mental_health"],
                                  datetime.now(UTC))
            ack = await js.publish(event.subject(), event.model_dump_json().encode(), stream=streams.EVENTS.name)
        return ack.seq if ack else 0
    finally:
        await connection.close()
