"""Request and response bodies of the peer networks' routes."""

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from peerwork_common.http.schemas import Command, DepartementCode, EffectiveDate, RegionCode
from peerwork_contracts.vocabulary import MeetingKind

from ..domain.meeting import MAX_MEETING_HOURS, Meeting
from ..domain.peer_network import PeerNetwork, Territory
from .schemas import Correction

Scope = Literal["departement", "region", "national"]
NetworkStatus = Literal["active", "ended"]
NetworkSort = Literal["formed_on", "-formed_on"]


class NetworkTerritory(Command):
    scope: Scope = Field(description="A département's network, a région's, or a national one")
    departement: DepartementCode | None = Field(default=None, description="scope departement only")
    region: RegionCode | None = Field(
        default=None, description="scope region only (a département's network lies in its département's région)"
    )

    @model_validator(mode="after")
    def _named_by_its_scope(self) -> "NetworkTerritory":
        wanted = {"departement": (True, False), "region": (False, True), "national": (False, False)}[self.scope]
        if (self.departement is not None, self.region is not None) != wanted:
            raise ValueError(
                "a département's network names its departement (and no region), a région's its "
                "region (and no departement), a national one neither"
            )
        return self

    def to_domain(self) -> Territory:
        return Territory.of(self.region, self.departement)


class FormNetwork(NetworkTerritory):
    name: str = Field(min_length=1, max_length=200, examples=["Réseau des pairs aidants de l'Isère"])
    formed_on: EffectiveDate = Field(description="Since when the network or group exists")


class CorrectNetwork(FormNetwork, Correction):
    """The network as it should always have read, and why it was recorded otherwise."""


class EndNetwork(Command):
    ended_on: EffectiveDate = Field(description="The first day it no longer exists")


class HoldMeeting(Command):
    held_on: EffectiveDate
    kind: MeetingKind
    hours: float = Field(gt=0, le=MAX_MEETING_HOURS, description="How long it lasted")
    peer_worker_ids: list[UUID] = Field(
        default_factory=list, max_length=1000, description="The registry ids of the peer workers who took part"
    )
    other_participants: int = Field(
        default=0, ge=0, le=10_000, description="How many others took part (professionals, institutions...)"
    )


class CorrectMeeting(HoldMeeting, Correction):
    """The meeting as it was (everyone who took part named), and why it was recorded otherwise."""


class MeetingView(BaseModel):
    id: UUID
    held_on: date
    kind: MeetingKind
    hours: float
    peer_worker_ids: list[UUID]
    other_participants: int

    @classmethod
    def of(cls, meeting: Meeting) -> "MeetingView":
        return cls(
            id=meeting.meeting_id, held_on=meeting.held_on, kind=meeting.kind, hours=meeting.hours,
            peer_worker_ids=list(meeting.peer_worker_ids), other_participants=meeting.other_participants,
        )


class PeerNetworkItem(BaseModel):
    """A network in a list; its record (``GET /peer-networks/{id}``) has its meetings."""

    id: UUID
    name: str
    scope: Scope
    region: str | None
    departement: str | None
    formed_on: date
    ended_on: date | None
    status: NetworkStatus
    meetings: int = Field(description="Meetings recorded (those retracted not counted)")
    last_met_on: date | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> "PeerNetworkItem":
        return cls(scope=scope_of(row["region"], row["departement"]), status=_status(row["ended_on"]), **row)


class PeerNetworkView(PeerNetworkItem):
    meetings_held: list[MeetingView] = Field(description="Its meetings, by day")
    version: int

    @classmethod
    def of(cls, network: PeerNetwork) -> "PeerNetworkView":  # type: ignore[override]
        meetings = sorted(network.meetings.values(), key=lambda m: (m.held_on, str(m.meeting_id)))
        return cls(
            id=network.id, name=network.name, scope=scope_of(network.region, network.departement),
            region=network.region, departement=network.departement, formed_on=network.formed_on,
            ended_on=network.ended_on, status=_status(network.ended_on), meetings=len(meetings),
            last_met_on=max((m.held_on for m in meetings), default=None),
            meetings_held=[MeetingView.of(m) for m in meetings], version=network.version,
        )


def scope_of(region: str | None, departement: str | None) -> Scope:
    if departement is not None:
        return "departement"
    return "national" if region is None else "region"


def _status(ended_on: date | None) -> NetworkStatus:
    return "active" if ended_on is None else "ended"
