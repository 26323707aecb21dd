"""What the accompaniment puts on a real JetStream: every fact as its contract event, and
none of the free text it keeps about structures and people."""

import json
from datetime import date
from uuid import uuid4

import pytest
from nats.js.errors import NotFoundError

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.domain.timeline import NewPeerWorker
from peerwork_accompaniment.publication import to_contract
from peerwork_common.devtools.nats_server import NatsServer, free_port
from peerwork_common.workers.background import in_background
from peerwork_contracts import catalogue
from tests.helpers import eventually_async, stream_messages, woken_relay

PRIVATE = ["Anne a vécu à la rue", "Équipe épuisée après le départ de Karim", "Karim"]


@pytest.fixture
def nats(tmp_path):
    server = NatsServer(tmp_path / "nats", free_port()).start()
    yield server
    server.stop()


def record_everything(app: Accompaniments) -> None:
    accompaniment = app.open_accompaniment(uuid4(), "38", "funder", PRIVATE[0], date(2023, 1, 2))
    app.reach_milestone(accompaniment, "readiness_assessed", date(2023, 2, 1), ready=False, reason=PRIVATE[1])
    app.reach_milestone(accompaniment, "team_awareness", date(2023, 2, 2), note=PRIVATE[2])
    app.record_hiring(accompaniment, date(2023, 5, 2), new_peer_worker=NewPeerWorker("38", ("addiction",)), note=PRIVATE[2])
    app.close_accompaniment(accompaniment, "hired", date(2023, 9, 1))
    # Corrections: why each was a mistake is free text too.
    app.reopen_accompaniment(accompaniment, PRIVATE[1])
    app.reach_milestone(accompaniment, "follow_up_meeting", date(2023, 9, 2))
    app.retract_milestone(accompaniment, "follow_up_meeting", PRIVATE[0])
    app.close_accompaniment(accompaniment, "hired", date(2023, 9, 3))
    session = app.schedule_session("Sensibilisation", "awareness_for_professionals", "professionals", "69",
                                   date(2023, 3, 1), None, 6, 10, date(2023, 1, 5))
    enrolment = app.enrol(session, date(2023, 1, 6), structure_id=uuid4(), seats=4)
    app.record_attendance(session, enrolment.enrolment_id, 3, date(2023, 3, 1))
    app.complete_session(session, date(2023, 3, 2))
    cancelled = app.schedule_session("Rencontre", "collective_peer_meeting", "peer_workers", "69",
                                     date(2023, 4, 1), None, 2, 10, date(2023, 1, 5))
    app.cancel_session(cancelled, date(2023, 2, 1))


async def test_every_fact_is_published_as_its_contract_event_without_free_text(nats, tmp_path):
    app = Accompaniments(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "a.sqlite")})
    record_everything(app)
    async with in_background(woken_relay(app, to_contract, nats.url)):
        async def all_there() -> bool:
            try:
                return len(await stream_messages(nats.url)) == 15
            except NotFoundError:  # the relay has not created the stream yet
                return False
        await eventually_async(all_there)
    app.close()
    messages = await stream_messages(nats.url)
    events = [catalogue.parse(m.subject, m.data) for m in messages]
    assert [e.event_type for e in events] == [
        "accompaniment.opened", "accompaniment.milestone_reached", "accompaniment.milestone_reached",
        "accompaniment.peer_worker_hired", "accompaniment.closed", "accompaniment.reopened",
        "accompaniment.milestone_reached", "accompaniment.milestone_retracted", "accompaniment.closed",
        "training_session.scheduled", "training_session.participant_enrolled",
        "training_session.attendance_recorded", "training_session.completed",
        "training_session.scheduled", "training_session.cancelled",
    ]
    hired = events[3].payload
    assert (hired.new_peer_worker.departement, hired.starts_on) == ("38", date(2023, 5, 2))
    reopened, retracted = events[5], events[7]
    assert (reopened.occurred_at, reopened.payload.outcome) == (date(2023, 9, 1), "hired")
    assert (retracted.occurred_at, retracted.payload.milestone, retracted.payload.still_reached_on) == (
        date(2023, 9, 2), "follow_up_meeting", None)
    completed = events[12]
    assert (completed.occurred_at, completed.payload.participants, completed.payload.duration_hours) == (date(2023, 3, 1), 3, 6.0)
    for message in messages:
        body = message.data.decode()
        for text in PRIVATE:
            assert json.dumps(text)[1:-1] not in body and text not in body
