"""Reads of the activity views, by département, as they stood at the end of a day.

Each read takes one cursor, so that its queries see the same snapshot, and the ISO
date ``day``; grouping by département leaves régions and the nation to the caller.
"""

from dataclasses import dataclass

from ..ports import Cursor


@dataclass(frozen=True)
class AccompanimentCount:
    departement: str
    year: int  # of the request
    outcome: str | None  # None while the accompaniment is still open
    accompaniments: int


@dataclass(frozen=True)
class MilestoneCount:
    departement: str
    milestone: str
    accompaniments: int  # that reached the milestone at least once


@dataclass(frozen=True)
class AccompanimentRows:
    counts: list[AccompanimentCount]
    milestones: list[MilestoneCount]


@dataclass(frozen=True)
class SessionCount:
    departement: str
    kind: str
    audience: str
    scheduled: int
    cancelled: int


@dataclass(frozen=True)
class DeliveryCount:
    departement: str
    kind: str
    audience: str
    year: int  # of the last day of the sessions
    sessions: int
    participants: int
    hours: float


@dataclass(frozen=True)
class TrainingRows:
    sessions: list[SessionCount]
    deliveries: list[DeliveryCount]


def accompaniment_rows(cursor: Cursor, day: str) -> AccompanimentRows:
    counts = cursor.execute(
        "SELECT departement, CAST(substr(opened_on, 1, 4) AS INTEGER), "
        "CASE WHEN closed_on <= :day THEN outcome END, COUNT(*) "
        "FROM accompaniments WHERE opened_on <= :day GROUP BY 1, 2, 3",
        {"day": day},
    ).fetchall()  # before the cursor runs the next query
    milestones = cursor.execute(
        "SELECT departement, milestone, COUNT(*) FROM milestones_reached "
        "WHERE first_reached_on <= :day GROUP BY 1, 2",
        {"day": day},
    )
    return AccompanimentRows(
        [AccompanimentCount(*row) for row in counts],
        [MilestoneCount(*row) for row in milestones],
    )


def training_rows(cursor: Cursor, day: str) -> TrainingRows:
    sessions = cursor.execute(
        "SELECT departement, kind, audience, "
        "COUNT(CASE WHEN scheduled_on <= :day THEN 1 END), "
        "COUNT(CASE WHEN cancelled_on <= :day THEN 1 END) "
        "FROM training_sessions GROUP BY 1, 2, 3",
        {"day": day},
    ).fetchall()  # before the cursor runs the next query
    deliveries = cursor.execute(
        "SELECT departement, kind, audience, CAST(substr(completed_on, 1, 4) AS INTEGER), "
        "COUNT(*), SUM(participants), SUM(hours) "
        "FROM training_sessions WHERE completed_on <= :day GROUP BY 1, 2, 3, 4",
        {"day": day},
    )
    return TrainingRows(
        [SessionCount(*row) for row in sessions],
        [DeliveryCount(*row) for row in deliveries],
    )
