"""How the accompaniment service's events change the activity views.

Each row keeps the effective dates of what happened to it, so that the figures can be
read as they stood at the end of any day. Replaying an event leaves its row as it was:
the store already skips applied positions, and these statements are safe on their own.
"""

from peerwork_contracts import accompaniment as events
from peerwork_contracts.envelope import Event
from peerwork_contracts.vocabulary import Milestone

from ..ports import Cursor


def _accompaniment_opened(cur: Cursor, event: events.AccompanimentOpened) -> None:
    cur.execute(
        "INSERT INTO accompaniments (accompaniment_id, departement, opened_on) VALUES (?, ?, ?) "
        "ON CONFLICT (accompaniment_id) DO NOTHING",
        (str(event.aggregate_id), event.payload.departement, event.occurred_at.isoformat()),
    )


def _reached(cur: Cursor, event: Event, milestone: Milestone, departement: str) -> None:
    # Steps may repeat, and be backdated: an accompaniment reached a milestone on the
    # earliest date recorded for it.
    cur.execute(
        "INSERT INTO milestones_reached VALUES (?, ?, ?, ?) "
        "ON CONFLICT (accompaniment_id, milestone) "
        "DO UPDATE SET first_reached_on = excluded.first_reached_on "
        "WHERE excluded.first_reached_on < milestones_reached.first_reached_on",
        (str(event.aggregate_id), milestone.value, departement, event.occurred_at.isoformat()),
    )


def _milestone_reached(cur: Cursor, event: events.MilestoneReached) -> None:
    _reached(cur, event, event.payload.milestone, event.payload.departement)


def _peer_worker_hired(cur: Cursor, event: events.PeerWorkerHired) -> None:
    _reached(cur, event, Milestone.PEER_WORKER_HIRED, event.payload.departement)


def _accompaniment_closed(cur: Cursor, event: events.AccompanimentClosed) -> None:
    cur.execute(
        "UPDATE accompaniments SET closed_on = ?, outcome = ? WHERE accompaniment_id = ?",
        (event.occurred_at.isoformat(), event.payload.outcome.value, str(event.aggregate_id)),
    )


def _milestone_retracted(cur: Cursor, event: events.MilestoneRetracted) -> None:
    # As if the mistaken step had never been recorded: the milestone is reached on the
    # earliest day still recorded for it, or not at all.
    key = (str(event.aggregate_id), event.payload.milestone.value)
    if event.payload.still_reached_on is None:
        cur.execute("DELETE FROM milestones_reached WHERE accompaniment_id = ? AND milestone = ?", key)
    else:
        cur.execute(
            "UPDATE milestones_reached SET first_reached_on = ? WHERE accompaniment_id = ? AND milestone = ?",
            (event.payload.still_reached_on.isoformat(), *key),
        )


def _accompaniment_reopened(cur: Cursor, event: events.AccompanimentReopened) -> None:
    # The closure never happened, for the figures of any day.
    cur.execute(
        "UPDATE accompaniments SET closed_on = NULL, outcome = NULL WHERE accompaniment_id = ?",
        (str(event.aggregate_id),),
    )


def _session_key(event: Event, payload: events.TrainingPayload) -> tuple[str, ...]:
    return (
        str(event.aggregate_id), payload.kind.value, payload.audience.value, payload.departement
    )


# Every event of a session carries its kind, audience and département, so each one can
# create the row: the outcome of a session is kept even if its scheduling came later.
_SESSION_COLUMNS = "session_id, kind, audience, departement"


def _session_scheduled(cur: Cursor, event: events.TrainingSessionScheduled) -> None:
    cur.execute(
        f"INSERT INTO training_sessions ({_SESSION_COLUMNS}, scheduled_on) "
        "VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (session_id) DO UPDATE SET scheduled_on = excluded.scheduled_on",
        (*_session_key(event, event.payload), event.occurred_at.isoformat()),
    )


def _session_completed(cur: Cursor, event: events.TrainingSessionCompleted) -> None:
    cur.execute(
        f"INSERT INTO training_sessions ({_SESSION_COLUMNS}, completed_on, participants, hours) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (session_id) DO UPDATE SET "
        "completed_on = excluded.completed_on, participants = excluded.participants, "
        "hours = excluded.hours",
        (
            *_session_key(event, event.payload),
            event.occurred_at.isoformat(),
            event.payload.participants,
            event.payload.duration_hours,
        ),
    )


def _session_cancelled(cur: Cursor, event: events.TrainingSessionCancelled) -> None:
    cur.execute(
        f"INSERT INTO training_sessions ({_SESSION_COLUMNS}, cancelled_on) "
        "VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (session_id) DO UPDATE SET "
        "cancelled_on = excluded.cancelled_on",
        (*_session_key(event, event.payload), event.occurred_at.isoformat()),
    )


ACTIVITY_PROJECTORS = {
    events.AccompanimentOpened: _accompaniment_opened,
    events.MilestoneReached: _milestone_reached,
    events.PeerWorkerHired: _peer_worker_hired,
    events.AccompanimentClosed: _accompaniment_closed,
    events.MilestoneRetracted: _milestone_retracted,
    events.AccompanimentReopened: _accompaniment_reopened,
    events.TrainingSessionScheduled: _session_scheduled,
    events.TrainingSessionCompleted: _session_completed,
    events.TrainingSessionCancelled: _session_cancelled,
}
