"""What an accompaniment's timeline holds, and what each kind of step may carry."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from peerwork_common.domain.errors import InvalidValueError
from peerwork_common.domain.values import check_departement
from peerwork_contracts.vocabulary import InterventionDomain, Milestone


@dataclass(frozen=True)
class NewPeerWorker:
    """What the registry needs to register a peer worker hired before being in the census."""

    departement: str
    domains: tuple[InterventionDomain, ...]

    def checked(self) -> "NewPeerWorker":
        """The same, its département checked and its domains sorted, each once."""
        if not self.domains:
            raise InvalidValueError("a new peer worker needs at least one domain of intervention")
        return NewPeerWorker(
            check_departement(self.departement),
            tuple(sorted({InterventionDomain(domain) for domain in self.domains})),
        )


@dataclass(frozen=True)
class Step:
    """One entry of an accompaniment's timeline."""

    milestone: Milestone
    occurred_on: date
    ready: bool | None = None  # readiness_assessed only
    reason: str | None = None  # why not ready yet; stays in this service
    note: str | None = None
    hiring_id: UUID | None = None  # peer_worker_hired only
    peer_worker_id: UUID | None = None


def check_reached(milestone: Milestone, ready: bool | None, reason: str | None) -> Milestone:
    """A milestone other than a hiring (which names its peer worker), with what its kind
    carries: whether the structure is ready, and why not, for a readiness assessment only."""
    milestone = Milestone(milestone)
    if milestone is Milestone.PEER_WORKER_HIRED:
        raise InvalidValueError(
            "a hiring names the peer worker: give peer_worker_id, or new_peer_worker for "
            "someone not registered yet"
        )
    if milestone is Milestone.READINESS_ASSESSED:
        if ready is None:
            raise InvalidValueError("a readiness assessment says whether the structure is ready")
        if ready and reason:
            raise InvalidValueError("a reason is given only when the structure is not ready yet")
    elif ready is not None or reason is not None:
        raise InvalidValueError("ready and reason belong to the readiness_assessed milestone only")
    return milestone


def text(value: str | None) -> str | None:
    """Free text as recorded: stripped, None when blank."""
    value = (value or "").strip()
    return value or None
