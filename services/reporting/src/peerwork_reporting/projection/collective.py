"""How the events of peers' collective organisation change the collective views: networks
with the days they were active, their meetings, and who took part.

A network's meetings are placed in its région (none for a national network) when read, so a
network corrected into another région takes its meetings with it. Corrections rewrite the
rows as if the mistake had never been made. A peer worker erased at their request keeps what
they counted for, not their id: their rows take a token drawn at random, which links their
participations to one another (each person counted once a year) and to nobody.
"""

from uuid import uuid4

from peerwork_contracts import accompaniment as events
from peerwork_contracts import registry

from ..ports import Cursor


def _network_formed(cur: Cursor, event: events.PeerNetworkFormed | events.PeerNetworkCorrected) -> None:
    cur.execute(
        "INSERT INTO collective_networks (network_id, region, formed_on) VALUES (?, ?, ?) "
        "ON CONFLICT (network_id) DO UPDATE SET region = excluded.region, formed_on = excluded.formed_on",
        (str(event.aggregate_id), event.payload.region, event.occurred_at.isoformat()),
    )


def _network_ended(cur: Cursor, event: events.PeerNetworkEnded) -> None:
    cur.execute(
        "UPDATE collective_networks SET ended_on = ? WHERE network_id = ?",
        (event.occurred_at.isoformat(), str(event.aggregate_id)),
    )


def _end_retracted(cur: Cursor, event: events.PeerNetworkEndRetracted) -> None:
    cur.execute("UPDATE collective_networks SET ended_on = NULL WHERE network_id = ?", (str(event.aggregate_id),))


def _meeting_held(cur: Cursor, event: events.MeetingHeld) -> None:
    payload, meeting = event.payload, str(event.payload.meeting_id)
    cur.execute(
        "INSERT INTO collective_meetings VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_id) DO NOTHING",
        (meeting, str(event.aggregate_id), event.occurred_at.isoformat(), payload.hours, payload.other_participants),
    )
    _take_part(cur, meeting, payload.peer_worker_ids)


def _take_part(cur: Cursor, meeting: str, peer_worker_ids: tuple) -> None:
    for peer_worker_id in peer_worker_ids:
        cur.execute(
            "INSERT INTO collective_participants VALUES (?, ?) ON CONFLICT DO NOTHING", (meeting, str(peer_worker_id))
        )


def _meeting_corrected(cur: Cursor, event: events.MeetingCorrected) -> None:
    payload, meeting = event.payload, str(event.payload.meeting_id)
    cur.execute(
        "UPDATE collective_meetings SET held_on = ?, hours = ?, other_participants = ? WHERE meeting_id = ?",
        (event.occurred_at.isoformat(), payload.hours, payload.other_participants, meeting),
    )
    for peer_worker_id in payload.peer_workers_removed:
        cur.execute(
            "DELETE FROM collective_participants WHERE meeting_id = ? AND peer_worker_id = ?",
            (meeting, str(peer_worker_id)),
        )
    _take_part(cur, meeting, payload.peer_workers_added)


def _meeting_retracted(cur: Cursor, event: events.MeetingRetracted) -> None:
    meeting = str(event.payload.meeting_id)
    cur.execute("DELETE FROM collective_meetings WHERE meeting_id = ?", (meeting,))
    cur.execute("DELETE FROM collective_participants WHERE meeting_id = ?", (meeting,))


def erase(cur: Cursor, event: registry.PeerWorkerErased) -> None:
    """The person's id goes from the collective views; what they counted for stays."""
    cur.execute(
        "UPDATE collective_participants SET peer_worker_id = ? WHERE peer_worker_id = ?",
        (f"erased-{uuid4()}", str(event.aggregate_id)),
    )


COLLECTIVE_PROJECTORS = {
    events.PeerNetworkFormed: _network_formed,
    events.PeerNetworkCorrected: _network_formed,
    events.PeerNetworkEnded: _network_ended,
    events.PeerNetworkEndRetracted: _end_retracted,
    events.MeetingHeld: _meeting_held,
    events.MeetingCorrected: _meeting_corrected,
    events.MeetingRetracted: _meeting_retracted,
}
