from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from peerwork_contracts.vocabulary import InterventionDomain

from peerwork_common.errors import ErasedError, NotFoundError, RuleBrokenError
from .values import check_departement, check_name


@dataclass(frozen=True)
class Employment:
    employment_id: UUID
    structure_id: UUID
    starts_on: date
    ends_on: date | None  # the first day no longer employed

    def is_open_on(self, day: date) -> bool:
        return self.ends_on is None or self.ends_on > day


class PeerWorker(Aggregate):
    """A person whose lived experience is their professional expertise.

    The display name stays in the registry, encrypted with a key of the person's own (the
    application's ``personal_fields``); everything published names them by id only.
    """

    @classmethod
    def register(
        cls,
        display_name: str | None,
        departement: str,
        domains: list[InterventionDomain],
        registered_on: date,
        *,
        peer_worker_id: UUID | None = None,
    ) -> "PeerWorker":
        """``display_name`` is None when the registration comes from a hiring on the bus,
        which never carries a name; ``peer_worker_id`` is then the id the hiring chose."""
        if not domains:
            raise RuleBrokenError("a peer worker needs at least one domain of intervention")
        return cls(
            id=peer_worker_id or uuid4(),
            display_name=None if display_name is None else check_name(display_name, "display name"),
            departement=check_departement(departement),
            domains=sorted({InterventionDomain(domain).value for domain in domains}),
            effective_on=registered_on,
        )

    @event("Registered")
    def __init__(
        self,
        id: UUID,  # noqa: A002 - eventsourcing takes the new aggregate's id from here
        display_name: str | None,
        departement: str,
        domains: list[str],
        effective_on: date,
    ) -> None:
        self.display_name = display_name
        self.departement = departement
        self.domains = tuple(InterventionDomain(domain) for domain in domains)
        self.registered_on = effective_on
        self.departement_since = effective_on
        self.withdrawn_on: date | None = None
        self.erased_on: date | None = None
        self.employments: dict[UUID, Employment] = {}

    def record_employment(
        self,
        structure_id: UUID,
        starts_on: date,
        ends_on: date | None,
        *,
        employment_id: UUID | None = None,
    ) -> UUID:
        """``employment_id`` is given by a hiring: recording the same hiring twice is a no-op."""
        if employment_id in self.employments:
            return employment_id
        self._check_not_withdrawn("record an employment")
        if starts_on < self.registered_on:
            raise RuleBrokenError(
                f"an employment cannot start before the peer worker's registration "
                f"({self.registered_on})"
            )
        if ends_on is not None and ends_on <= starts_on:
            raise RuleBrokenError("an employment must end after the day it starts")
        if any(e.structure_id == structure_id and e.ends_on is None for e in self.employments.values()):
            raise RuleBrokenError("the peer worker is already employed by this structure")
        employment_id = employment_id or uuid4()
        self._employment_recorded(employment_id, structure_id, starts_on, ends_on)
        return employment_id

    @event("EmploymentRecorded")
    def _employment_recorded(
        self, employment_id: UUID, structure_id: UUID, starts_on: date, ends_on: date | None
    ) -> None:
        self.employments[employment_id] = Employment(employment_id, structure_id, starts_on, ends_on)

    def end_employment(self, employment_id: UUID, ends_on: date) -> None:
        employment = self.employments.get(employment_id)
        if employment is None:
            raise NotFoundError(f"the peer worker has no employment {employment_id}")
        self._check_not_withdrawn("end an employment")
        if employment.ends_on is not None:
            raise RuleBrokenError(f"this employment already ended on {employment.ends_on}")
        if ends_on <= employment.starts_on:
            raise RuleBrokenError(
                f"an employment must end after the day it starts ({employment.starts_on})"
            )
        self._employment_ended(employment_id, employment.structure_id, ends_on)

    @event("EmploymentEnded")
    def _employment_ended(self, employment_id: UUID, structure_id: UUID, ends_on: date) -> None:
        self.employments[employment_id] = replace(self.employments[employment_id], ends_on=ends_on)

    def move(self, departement: str, effective_on: date) -> None:
        departement = check_departement(departement)
        self._check_not_withdrawn("move")
        if effective_on < self.departement_since:
            raise RuleBrokenError(
                f"cannot move on {effective_on}: the peer worker is recorded in "
                f"{self.departement} since {self.departement_since}"
            )
        if departement == self.departement:
            raise RuleBrokenError(f"the peer worker is already in département {departement}")
        self._moved(self.departement, departement, effective_on)

    @event("Moved")
    def _moved(self, from_departement: str, to_departement: str, effective_on: date) -> None:
        self.departement = to_departement
        self.departement_since = effective_on

    def withdraw(self, effective_on: date) -> None:
        self._check_not_withdrawn("withdraw")
        latest = self.latest_fact_on()
        if effective_on < latest:
            raise RuleBrokenError(
                f"cannot withdraw on {effective_on}: a fact about this peer worker took effect "
                f"on {latest}"
            )
        self._withdrawn(self.departement, effective_on)

    @event("Withdrawn")
    def _withdrawn(self, departement: str, effective_on: date) -> None:
        self.withdrawn_on = effective_on
        # Leaving the census ends whatever employment was still going on.
        for employment in self.employments.values():
            if employment.is_open_on(effective_on):
                self.employments[employment.employment_id] = replace(employment, ends_on=effective_on)

    def erase(self, erased_on: date) -> None:
        """Erases the record at the person's request (GDPR art. 17). The display name goes
        with its key, which the application destroys; the anonymous facts stay, so that past
        counts do not change, and a person still in the census leaves it. Erasing twice
        changes nothing."""
        if self.erased_on is not None:
            return
        if self.withdrawn_on is None:
            self._withdrawn(self.departement, max(erased_on, self.latest_fact_on()))
        self._erased(erased_on)

    @event("Erased")
    def _erased(self, effective_on: date) -> None:
        self.erased_on = effective_on
        self.display_name = None

    def latest_fact_on(self) -> date:
        starts = [employment.starts_on for employment in self.employments.values()]
        return max([self.departement_since, *starts])

    def _check_not_withdrawn(self, action: str) -> None:
        if self.erased_on is not None:
            raise ErasedError(f"cannot {action}: the peer worker's record was erased on {self.erased_on}")
        if self.withdrawn_on is not None:
            raise RuleBrokenError(
                f"cannot {action}: the peer worker was withdrawn on {self.withdrawn_on}"
            )
