"""The rows the accompaniment's lists are read from, kept from the service's own events.

No free text is kept here (an accompaniment's request and notes may be about the person to
be hired): a list shows where an accompaniment stands, its record says the rest.
"""

from functools import singledispatchmethod
from typing import Any

from peerwork_common.eventstore.datastores import Datastore
from peerwork_common.lists.projection import ListProjection
from peerwork_common.lists.view import ListView

from ..domain.accompaniment import Accompaniment
from ..domain.peer_network import PeerNetwork
from ..domain.training_session import TrainingSession

# The lists' tables, those referred to first; made and changed by the service's
# migrations (peerwork_accompaniment/migrations/).
TABLES = (
    "list_accompaniments",
    "list_accompaniment_steps",
    "list_training_sessions",
    "list_peer_networks",
    "list_network_meetings",
)


def accompaniment_view(datastore: Datastore) -> ListView:
    return ListView(datastore, "accompaniment_lists", TABLES)


class AccompanimentLists(ListProjection):
    name = "accompaniment_lists"

    @singledispatchmethod
    def apply(self, domain_event: Any, cursor: Any) -> None:
        """Events that change no list (an attendance recorded, for one) change nothing here."""

    @apply.register
    def _(self, opened: Accompaniment.Opened, cursor: Any) -> None:
        self._run(
            cursor,
            "INSERT INTO {list_accompaniments} (id, structure_id, departement, channel, requested_on) "
            "VALUES (?, ?, ?, ?, ?)",
            str(opened.originator_id), str(opened.structure_id), opened.departement, str(opened.channel),
            opened.requested_on.isoformat(),
        )

    @apply.register
    def _(self, reached: Accompaniment.MilestoneReached, cursor: Any) -> None:
        self._step(cursor, reached, reached.milestone, reached.occurred_on.isoformat())

    @apply.register
    def _(self, hired: Accompaniment.PeerWorkerHired, cursor: Any) -> None:
        self._step(cursor, hired, "peer_worker_hired", hired.occurred_on.isoformat())

    @apply.register
    def _(self, retracted: Accompaniment.MilestoneRetracted, cursor: Any) -> None:
        # As ``Accompaniment.retract``: the last step of the timeline goes.
        accompaniment_id = str(retracted.originator_id)
        self._run(
            cursor,
            "DELETE FROM {list_accompaniment_steps} WHERE accompaniment_id = ? AND version = "
            "(SELECT MAX(version) FROM {list_accompaniment_steps} WHERE accompaniment_id = ?)",
            accompaniment_id, accompaniment_id,
        )
        self._run(
            cursor,
            "SELECT milestone, occurred_on FROM {list_accompaniment_steps} WHERE accompaniment_id = ? "
            "ORDER BY version DESC LIMIT 1",
            accompaniment_id,
        )
        last = cursor.fetchone()
        self._run(
            cursor, "UPDATE {list_accompaniments} SET last_milestone = ?, last_milestone_on = ? WHERE id = ?",
            None if last is None else last["milestone"], None if last is None else last["occurred_on"],
            accompaniment_id,
        )

    @apply.register
    def _(self, closed: Accompaniment.Closed, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_accompaniments} SET closed_on = ?, outcome = ? WHERE id = ?",
                  closed.closed_on.isoformat(), closed.outcome, str(closed.originator_id))

    @apply.register
    def _(self, reopened: Accompaniment.Reopened, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_accompaniments} SET closed_on = NULL, outcome = NULL WHERE id = ?",
                  str(reopened.originator_id))

    @apply.register
    def _(self, scheduled: TrainingSession.Scheduled, cursor: Any) -> None:
        self._run(
            cursor,
            "INSERT INTO {list_training_sessions} (id, title, kind, audience, departement, starts_on, ends_on, "
            "duration_hours, capacity, seats_taken) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            str(scheduled.originator_id), scheduled.title, scheduled.kind, scheduled.audience, scheduled.departement,
            scheduled.starts_on.isoformat(), scheduled.ends_on.isoformat(), scheduled.duration_hours,
            scheduled.capacity,
        )

    @apply.register
    def _(self, enrolled: TrainingSession.ParticipantEnrolled, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_training_sessions} SET seats_taken = seats_taken + ? WHERE id = ?",
                  enrolled.seats, str(enrolled.originator_id))

    @apply.register
    def _(self, completed: TrainingSession.Completed, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_training_sessions} SET completed_on = ? WHERE id = ?",
                  completed.completed_on.isoformat(), str(completed.originator_id))

    @apply.register
    def _(self, cancelled: TrainingSession.Cancelled, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_training_sessions} SET cancelled_on = ? WHERE id = ?",
                  cancelled.cancelled_on.isoformat(), str(cancelled.originator_id))

    @apply.register
    def _(self, formed: PeerNetwork.Formed, cursor: Any) -> None:
        self._run(
            cursor,
            "INSERT INTO {list_peer_networks} (id, name, region, departement, formed_on, meetings) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            str(formed.originator_id), formed.name, formed.region, formed.departement, formed.formed_on.isoformat(),
        )

    @apply.register
    def _(self, corrected: PeerNetwork.Corrected, cursor: Any) -> None:
        self._run(
            cursor, "UPDATE {list_peer_networks} SET name = ?, region = ?, departement = ?, formed_on = ? WHERE id = ?",
            corrected.name, corrected.region, corrected.departement, corrected.formed_on.isoformat(),
            str(corrected.originator_id),
        )

    @apply.register
    def _(self, ended: PeerNetwork.Ended, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_peer_networks} SET ended_on = ? WHERE id = ?",
                  ended.ended_on.isoformat(), str(ended.originator_id))

    @apply.register
    def _(self, retracted: PeerNetwork.EndRetracted, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_peer_networks} SET ended_on = NULL WHERE id = ?", str(retracted.originator_id))

    @apply.register
    def _(self, held: PeerNetwork.MeetingHeld, cursor: Any) -> None:
        self._run(cursor, "INSERT INTO {list_network_meetings} (meeting_id, network_id, held_on) VALUES (?, ?, ?)",
                  str(held.meeting_id), str(held.originator_id), held.held_on.isoformat())
        self._meetings(cursor, str(held.originator_id))

    @apply.register
    def _(self, corrected: PeerNetwork.MeetingCorrected, cursor: Any) -> None:
        self._run(cursor, "UPDATE {list_network_meetings} SET held_on = ? WHERE meeting_id = ?",
                  corrected.held_on.isoformat(), str(corrected.meeting_id))
        self._meetings(cursor, str(corrected.originator_id))

    @apply.register
    def _(self, retracted: PeerNetwork.MeetingRetracted, cursor: Any) -> None:
        self._run(cursor, "DELETE FROM {list_network_meetings} WHERE meeting_id = ?", str(retracted.meeting_id))
        self._meetings(cursor, str(retracted.originator_id))

    def _meetings(self, cursor: Any, network_id: str) -> None:
        self._run(
            cursor,
            "UPDATE {list_peer_networks} SET "
            "meetings = (SELECT COUNT(*) FROM {list_network_meetings} WHERE network_id = ?), "
            "last_met_on = (SELECT MAX(held_on) FROM {list_network_meetings} WHERE network_id = ?) WHERE id = ?",
            network_id, network_id, network_id,
        )

    def _step(self, cursor: Any, event: Any, milestone: str, occurred_on: str) -> None:
        accompaniment_id = str(event.originator_id)
        self._run(
            cursor,
            "INSERT INTO {list_accompaniment_steps} (accompaniment_id, version, milestone, occurred_on) "
            "VALUES (?, ?, ?, ?)",
            accompaniment_id, event.originator_version, milestone, occurred_on,
        )
        self._run(cursor, "UPDATE {list_accompaniments} SET last_milestone = ?, last_milestone_on = ? WHERE id = ?",
                  milestone, occurred_on, accompaniment_id)

    def _run(self, cursor: Any, statement: str, *values: Any) -> None:
        """``statement`` with its tables named ``{like_this}``."""
        tables = {name: self.view.table(name) for name in TABLES}
        cursor.execute(self.view.sql(statement.format(**tables)), values)
