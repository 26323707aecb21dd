"""Corrections of an accompaniment: a mistake put right is a fact of its own, saying why; the
figures then count as if the mistake had never been made.

Here are the commands and their rules. The events they record, and what each changes, stay
on ``Accompaniment``: eventsourcing registers the ``@event`` methods of the aggregate's own
class only, and names their stored events after it.
"""

from datetime import date
from uuid import UUID

from peerwork_common.domain.errors import RuleBrokenError
from peerwork_contracts.vocabulary import Milestone, Outcome

from .corrections import check_reason
from .timeline import Step


class AccompanimentCorrections:
    """Mixed into ``Accompaniment``, whose state it reads and whose events it records."""

    structure_id: UUID
    departement: str
    timeline: list[Step]
    closed_on: date | None
    outcome: Outcome | None

    def retract(self, milestone: Milestone, reason: str) -> Step:
        """Takes back the last milestone recorded, recorded by mistake. Only the last one:
        steps are recorded as they happen, so a mistake is put right before the next step,
        and going back one step at a time never leaves a timeline no one recorded.

        A hiring is retracted here too, and only here: this service owns the fact that a
        hiring was recorded, the registry the employment it recorded from it. The
        retraction is published with the hiring's id, and the registry, subscribed to it,
        cancels that employment (and refuses to cancel it on its own, which would leave
        this accompaniment saying "hired"). A peer worker the hiring registered stays
        registered: the registry cannot tell a person who does not exist from one hired
        by mistake, and staff correct or withdraw the record there."""
        milestone = Milestone(milestone)
        reason = check_reason(reason)
        if self.closed_on is not None:
            raise RuleBrokenError(
                f"this accompaniment was closed on {self.closed_on} ({self.outcome}): reopen it "
                "first if the closure was a mistake too"
            )
        if not self.timeline:
            raise RuleBrokenError("no milestone is recorded on this accompaniment: there is nothing to retract")
        last = self.timeline[-1]
        if last.milestone is not milestone:
            raise RuleBrokenError(
                f"only the last milestone recorded can be retracted, and it is {last.milestone.value} "
                f"of {last.occurred_on}: retract that one first"
            )
        earlier = [step.occurred_on for step in self.timeline[:-1] if step.milestone is milestone]
        self._milestone_retracted(
            self.structure_id, self.departement, milestone.value, last.occurred_on, reason,
            min(earlier, default=None), last.hiring_id, last.peer_worker_id,
        )
        return last

    def reopen(self, reason: str) -> None:
        """Takes back a closure made by mistake: the accompaniment goes on as if it had not been closed."""
        reason = check_reason(reason)
        if self.closed_on is None:
            raise RuleBrokenError("this accompaniment is not closed: there is nothing to reopen")
        self._reopened(self.structure_id, self.departement, self.outcome.value, self.closed_on, reason)
