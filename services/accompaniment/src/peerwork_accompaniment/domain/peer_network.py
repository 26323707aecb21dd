"""Peers' collective organisation: a network or group of peers, and its meetings.

A network's territory is a département, a région, or the whole country: a département's
network also names its région (the figures count it there), a regional one its région only,
a national one neither. Peer workers who took part in a meeting are named by registry id;
the others are counted. Mistakes are put right by corrections of their own, each saying why.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from peerwork_common.domain.errors import InvalidValueError, NotFoundError, RuleBrokenError
from peerwork_common.domain.values import check_departement, check_effective_date, check_name, check_region
from peerwork_contracts import geography
from peerwork_contracts.vocabulary import MeetingKind

from .corrections import check_reason
from .meeting import Meeting


@dataclass(frozen=True)
class Territory:
    region: str | None  # None: national
    departement: str | None  # None: regional or national

    @classmethod
    def of(cls, region: str | None, departement: str | None) -> "Territory":
        if departement is not None:
            departement = check_departement(departement)
            within = geography.region_of(departement).code
            if region is not None and check_region(region) != within:
                raise InvalidValueError(f"département {departement} lies in région {within}, not {region}")
            return cls(within, departement)
        return cls(None if region is None else check_region(region), None)


class PeerNetwork(Aggregate):
    """A network or group of peers the platform supports, since ``formed_on``."""

    @classmethod
    def form(cls, name: str, territory: Territory, formed_on: date) -> "PeerNetwork":
        return cls(
            name=check_name(name, "name"), region=territory.region, departement=territory.departement,
            formed_on=check_effective_date(formed_on),
        )

    @event("Formed")
    def __init__(self, name: str, region: str | None, departement: str | None, formed_on: date) -> None:
        self.name, self.region, self.departement, self.formed_on = name, region, departement, formed_on
        self.ended_on: date | None = None
        self.meetings: dict[UUID, Meeting] = {}

    def hold_meeting(
        self, held_on: date, kind: MeetingKind, hours: float, peer_worker_ids: tuple[UUID, ...],
        other_participants: int,
    ) -> Meeting:
        meeting = Meeting.of(uuid4(), held_on, kind, hours, peer_worker_ids, other_participants)
        self._check_active(meeting.held_on)
        self._meeting_held(self.region, self.departement, *meeting.fields())
        return meeting

    @event("MeetingHeld")
    def _meeting_held(
        self, region: str | None, departement: str | None, meeting_id: UUID, held_on: date, kind: str,
        hours: float, peer_worker_ids: list[UUID], other_participants: int,
    ) -> None:
        self._keep(meeting_id, held_on, kind, hours, peer_worker_ids, other_participants)

    def end(self, ended_on: date) -> None:
        check_effective_date(ended_on)
        if self.ended_on is not None:
            raise RuleBrokenError(f"the network ended on {self.ended_on} already")
        if ended_on <= self.formed_on:
            raise RuleBrokenError(f"the network ends after it was formed, on {self.formed_on}")
        last = max((m.held_on for m in self.meetings.values()), default=None)
        if last is not None and ended_on <= last:
            raise RuleBrokenError(f"the network met on {last}: it ended after that day")
        self._ended(self.region, self.departement, ended_on)

    @event("Ended")
    def _ended(self, region: str | None, departement: str | None, ended_on: date) -> None:
        self.ended_on = ended_on

    # Corrections: a mistake put right is a fact of its own, saying why; the figures then
    # count as if the mistake had never been made.

    def correct(self, name: str, territory: Territory, formed_on: date, reason: str) -> None:
        """The network's name, territory or start were recorded wrong; its meetings move with it."""
        reason, name, formed_on = check_reason(reason), check_name(name, "name"), check_effective_date(formed_on)
        first = min((m.held_on for m in self.meetings.values()), default=None)
        if first is not None and formed_on > first:
            raise RuleBrokenError(f"the network met on {first}: it was formed by then")
        if self.ended_on is not None and formed_on >= self.ended_on:
            raise RuleBrokenError(f"the network ended on {self.ended_on}: it was formed before")
        if (name, territory.region, territory.departement, formed_on) == (
            self.name, self.region, self.departement, self.formed_on
        ):
            raise RuleBrokenError("the correction changes nothing the network holds")
        self._corrected(name, territory.region, territory.departement, formed_on, reason)

    @event("Corrected")
    def _corrected(
        self, name: str, region: str | None, departement: str | None, formed_on: date, reason: str
    ) -> None:
        self.name, self.region, self.departement, self.formed_on = name, region, departement, formed_on

    def retract_end(self, reason: str) -> None:
        """The end was recorded by mistake: the network never stopped."""
        reason = check_reason(reason)
        if self.ended_on is None:
            raise RuleBrokenError("the network has not ended: there is no end to retract")
        self._end_retracted(self.region, self.departement, self.ended_on, reason)

    @event("EndRetracted")
    def _end_retracted(self, region: str | None, departement: str | None, ended_on: date, reason: str) -> None:
        self.ended_on = None

    def correct_meeting(
        self, meeting_id: UUID, held_on: date, kind: MeetingKind, hours: float,
        peer_worker_ids: tuple[UUID, ...], other_participants: int, reason: str,
    ) -> Meeting:
        """The meeting was recorded wrong: it was as given, everyone who took part named."""
        reason = check_reason(reason)
        before = self.meeting(meeting_id)
        meeting = Meeting.of(meeting_id, held_on, kind, hours, peer_worker_ids, other_participants)
        if meeting == before:
            raise RuleBrokenError("the correction changes nothing the meeting holds")
        self._check_active(meeting.held_on)
        # The changes of who took part, not the whole list: a person erased since stays out of it.
        added = [i for i in meeting.peer_worker_ids if i not in before.peer_worker_ids]
        removed = [i for i in before.peer_worker_ids if i not in meeting.peer_worker_ids]
        self._meeting_corrected(
            self.region, self.departement, meeting_id, meeting.held_on, meeting.kind.value, meeting.hours,
            added, removed, meeting.other_participants, reason,
        )
        return meeting

    @event("MeetingCorrected")
    def _meeting_corrected(
        self, region: str | None, departement: str | None, meeting_id: UUID, held_on: date, kind: str,
        hours: float, peer_workers_added: list[UUID], peer_workers_removed: list[UUID], other_participants: int,
        reason: str,
    ) -> None:
        kept = [i for i in self.meetings[meeting_id].peer_worker_ids if i not in peer_workers_removed]
        self._keep(meeting_id, held_on, kind, hours, kept + peer_workers_added, other_participants)

    def _keep(
        self, meeting_id: UUID, held_on: date, kind: str, hours: float, peer_worker_ids: list[UUID],
        other_participants: int,
    ) -> None:
        self.meetings[meeting_id] = Meeting(
            meeting_id, held_on, MeetingKind(kind), hours, tuple(peer_worker_ids), other_participants
        )

    def retract_meeting(self, meeting_id: UUID, reason: str) -> Meeting:
        """The meeting was recorded by mistake: it never was."""
        reason = check_reason(reason)
        meeting = self.meeting(meeting_id)
        self._meeting_retracted(self.region, self.departement, meeting_id, meeting.held_on, reason)
        return meeting

    @event("MeetingRetracted")
    def _meeting_retracted(
        self, region: str | None, departement: str | None, meeting_id: UUID, held_on: date, reason: str
    ) -> None:
        del self.meetings[meeting_id]

    def meeting(self, meeting_id: UUID) -> Meeting:
        try:
            return self.meetings[meeting_id]
        except KeyError:
            raise NotFoundError(f"the network has no meeting {meeting_id}") from None

    def _check_active(self, held_on: date) -> None:
        if held_on < self.formed_on:
            raise RuleBrokenError(f"the network was only formed on {self.formed_on}")
        if self.ended_on is not None and held_on >= self.ended_on:
            raise RuleBrokenError(f"the network ended on {self.ended_on}: it no longer meets")
