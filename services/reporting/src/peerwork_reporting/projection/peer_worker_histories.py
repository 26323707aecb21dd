"""Peer workers' histories as the views hold them: spells in départements, domains and
employments, each with its effective dates.

A batch's events about a peer worker are applied to their history in memory, and the
history is then written back whole (``peer_worker_history_rows``): their rows are replaced.
A correction rewrites the history (``CORRECTIONS``); a record merged into another is
emptied. An erased peer worker's history is deleted instead: the census keeps what they
counted for, and the views keep nothing about them.
"""

from dataclasses import dataclass, field

from peerwork_contracts import registry as events

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
