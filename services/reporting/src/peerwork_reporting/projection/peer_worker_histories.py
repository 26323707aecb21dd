"""Peer workers' histories as the views hold them: spells in départements, domains and
employments, each with its effective dates.

A batch's events about a peer worker are applied to their history in memory, and the
history is then written back whole: their rows are replaced. A correction rewrites the
history (``CORRECTIONS``); a record merged into another is emptied. An erased peer worker's
history is deleted instead: the census keeps what they counted for, and the views keep
nothing about them. The census needs the
history before and after the batch (``census_contributions``): kept in memory, it is not
read back after the batch, and the histories of a whole batch are read in three queries
rather than three per peer worker.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from peerwork_contracts import registry as events

from ..ports import Cursor

# Mistakes put right: applied to the history as if it had always read so.
CORRECTIONS = (
    events.PeerWorkerRegistrationCorrected,
    events.EmploymentCorrected,
    events.EmploymentCancelled,
    events.PeerWorkerReinstated,
    events.PeerWorkerMerged,
)
EVENTS = (
    events.PeerWorkerRegistered,
    events.PeerWorkerMoved,
    events.PeerWorkerWithdrawn,
    events.PeerWorkerErased,
    events.EmploymentRecorded,
    events.EmploymentEnded,
    *CORRECTIONS,
)
_CHUNK = 500  # ids per IN (...) list: well under either database's limit on parameters


@dataclass(slots=True)
class Spell:
    departement: str
    starts_on: str
    ends_on: str | None = None  # the first day no longer in it


@dataclass(slots=True)
class Employment:
    structure_id: str
    starts_on: str
    ends_on: str | None = None


@dataclass(slots=True)
class History:
    spells: list[Spell] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    employments: dict[str, Employment] = field(default_factory=dict)  # by employment id
    stored: bool = False  # has rows in the views, which ``save`` replaces
    erased: bool = False  # at the person's request: ``save`` deletes their rows

    def apply(self, event: events.Event) -> None:
        day = event.occurred_at.isoformat()
        payload = event.payload
        if isinstance(event, events.PeerWorkerRegistered):
            self.spells.append(Spell(payload.departement, day))
            for domain in payload.domains:
                if domain.value not in self.domains:  # each domain once, as its primary key says
                    self.domains.append(domain.value)
        elif isinstance(event, events.PeerWorkerMoved):
            self._close_spell(day)
            self.spells.append(Spell(payload.to_departement, day))
        elif isinstance(event, events.PeerWorkerWithdrawn):
            self._close_spell(day)
            for employment in self.employments.values():
                if employment.ends_on is None or employment.ends_on > day:
                    employment.ends_on = day
        elif isinstance(event, events.PeerWorkerErased):
            self.erased = True  # withdrawn already: what they count for stays as it is
        elif isinstance(event, events.EmploymentRecorded):
            self.employments[str(payload.employment_id)] = Employment(
                str(payload.structure_id),
                payload.starts_on.isoformat(),
                payload.ends_on.isoformat() if payload.ends_on else None,
            )
        elif isinstance(event, events.EmploymentEnded):
            employment = self.employments.get(str(payload.employment_id))
            if employment is not None:
                employment.ends_on = payload.ends_on.isoformat()
        elif isinstance(event, CORRECTIONS):
            self._correct(event)

    def _correct(self, event: events.Event) -> None:
        payload = event.payload
        if isinstance(event, events.PeerWorkerRegistrationCorrected):
            # The spell the registration opened; one of a move on the same day is later.
            first = min(self.spells, key=lambda spell: (spell.starts_on, spell.ends_on or "9"))
            first.departement = payload.departement
            first.starts_on = payload.registered_on.isoformat()
            self.domains = list(dict.fromkeys(domain.value for domain in payload.domains))
        elif isinstance(event, events.EmploymentCorrected):
            self.employments[str(payload.employment_id)] = Employment(
                str(payload.structure_id),
                payload.starts_on.isoformat(),
                payload.ends_on.isoformat() if payload.ends_on else None,
            )
        elif isinstance(event, events.EmploymentCancelled):
            self.employments.pop(str(payload.employment_id), None)
        elif isinstance(event, events.PeerWorkerReinstated):
            # The spell the withdrawal closed: the last one, where they were counted.
            last = max(
                (spell for spell in self.spells if spell.departement == payload.departement),
                key=lambda spell: (spell.starts_on, spell.ends_on or "9"),
            )
            last.ends_on = None
            for reopened in payload.reopened:
                employment = self.employments.get(str(reopened.employment_id))
                if employment is not None:
                    employment.ends_on = reopened.ends_on.isoformat() if reopened.ends_on else None
        elif isinstance(event, events.PeerWorkerMerged):
            # Counted no more: the survivor's own events carry what it took in.
            self.spells, self.domains, self.employments = [], [], {}

    def _close_spell(self, day: str) -> None:
        for spell in self.spells:
            if spell.ends_on is None:
                spell.ends_on = day


def load(cur: Cursor, batch: dict[str, list[events.Event]]) -> dict[str, History]:
    """The histories of the peer workers with events in ``batch`` (by peer worker, in
    order), before those events. One whose first event there is their first ever
    (aggregate version 1: their registration) has none yet, and is not looked for: in a
    rebuild, that spares most of the reading."""
    histories = {peer_worker_id: History() for peer_worker_id in batch}
    known = [peer_worker_id for peer_worker_id, of_them in batch.items() if of_them[0].aggregate_version > 1]
    _read(cur, histories, known)
    return histories


def employed_by(cur: Cursor, structure_id: str) -> dict[str, History]:
    """The stored histories of the peer workers ever employed by the structure (the erased
    have none: what they counted for stays as it is)."""
    ids = [peer_worker_id for (peer_worker_id,) in cur.execute(
        "SELECT DISTINCT peer_worker_id FROM employments WHERE structure_id = ?", (structure_id,)
    ).fetchall()]
    histories = {peer_worker_id: History() for peer_worker_id in ids}
    _read(cur, histories, ids)
    return histories


def _read(cur: Cursor, histories: dict[str, History], known: list[str]) -> None:
    for ids, placeholders in chunks(known):
        for peer_worker_id, departement, starts_on, ends_on in cur.execute(
            "SELECT peer_worker_id, departement, starts_on, ends_on FROM peer_worker_spells "
            f"WHERE peer_worker_id IN ({placeholders})",
            ids,
        ).fetchall():
            histories[peer_worker_id].spells.append(Spell(departement, starts_on, ends_on))
        for peer_worker_id, domain in cur.execute(
            f"SELECT peer_worker_id, domain FROM peer_worker_domains WHERE peer_worker_id IN ({placeholders})",
            ids,
        ).fetchall():
            histories[peer_worker_id].domains.append(domain)
        for employment_id, peer_worker_id, structure_id, starts_on, ends_on in cur.execute(
            "SELECT employment_id, peer_worker_id, structure_id, starts_on, ends_on FROM employments "
            f"WHERE peer_worker_id IN ({placeholders})",
            ids,
        ).fetchall():
            histories[peer_worker_id].employments[employment_id] = Employment(
                structure_id, starts_on, ends_on
            )
    for history in histories.values():
        history.stored = bool(history.spells or history.domains or history.employments)


def save(cur: Cursor, histories: dict[str, History]) -> None:
    """Replaces the peer workers' rows with their histories (none for the erased)."""
    stored = [peer_worker_id for peer_worker_id, history in histories.items() if history.stored]
    for ids, placeholders in chunks(stored):
        for table in ("peer_worker_spells", "peer_worker_domains", "employments"):
            cur.execute(f"DELETE FROM {table} WHERE peer_worker_id IN ({placeholders})", ids)
    items = [(peer_worker_id, history) for peer_worker_id, history in histories.items() if not history.erased]
    cur.executemany("INSERT INTO peer_worker_spells VALUES (?, ?, ?, ?)", [
        (peer_worker_id, spell.departement, spell.starts_on, spell.ends_on)
        for peer_worker_id, history in items for spell in history.spells
    ])
    cur.executemany("INSERT INTO peer_worker_domains VALUES (?, ?)", [
        (peer_worker_id, domain) for peer_worker_id, history in items for domain in history.domains
    ])
    cur.executemany("INSERT INTO employments VALUES (?, ?, ?, ?, ?)", [
        (employment_id, peer_worker_id, employment.structure_id, employment.starts_on, employment.ends_on)
        for peer_worker_id, history in items for employment_id, employment in history.employments.items()
    ])


def chunks(ids: list[str]) -> Iterator[tuple[list[str], str]]:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        yield chunk, ", ".join("?" * len(chunk))
