"""The older versions of an event the contracts publish beside its newest one."""

import uuid
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from peerwork_contracts import side_by_side, subjects
from peerwork_contracts.evolution import OffContractError
from peerwork_contracts.registry import PeerWorkerRegistered, PeerWorkerRegisteredPayload
from tests.side_by_side import V1, V2, as_v1, as_v2, v1_beside


def registered(recorded_on: date = date(2026, 1, 5)) -> PeerWorkerRegistered:
    return PeerWorkerRegistered.build(
        occurred_at=date(2025, 12, 1), recorded_at=datetime.combine(recorded_on, datetime.min.time(), timezone.utc),
        position=7, aggregate_id=uuid.uuid4(), aggregate_version=1,
        payload={"departement": "2A", "domains": ["addiction"]},
    )


def test_an_event_has_no_copy_while_nothing_is_declared():
    assert side_by_side.SIDE_BY_SIDE == {}
    assert side_by_side.older_copies(as_v2(registered())) == []


def test_the_older_copy_is_the_same_fact_on_the_older_subject():
    event = registered()
    newest = as_v2(event)
    (copy,) = side_by_side.older_copies(newest, {V2: v1_beside()})
    assert copy == event
    assert copy.model_dump(include=set(side_by_side.ENVELOPE)) == newest.model_dump(include=set(side_by_side.ENVELOPE))


def test_an_event_recorded_from_the_retirement_day_has_no_copy():
    declared = {V2: v1_beside(date(2025, 6, 1), date(2026, 6, 1))}
    assert len(side_by_side.older_copies(as_v2(registered(date(2026, 5, 31))), declared)) == 1
    assert side_by_side.older_copies(as_v2(registered(date(2026, 6, 1))), declared) == []


@pytest.mark.parametrize(
    ("derive", "reported"),
    [
        (lambda event: as_v1(event).model_copy(update={"event_id": uuid.uuid4()}), "event_id differs from the newest's"),
        (lambda event: as_v1(event).model_copy(update={"position": 8}), "position differs from the newest's"),
        (lambda event: event, "a PeerWorkerRegisteredV2, not a PeerWorkerRegistered"),
        (lambda event: side_by_side.copy_as(PeerWorkerRegistered, event, PeerWorkerRegisteredPayload.model_validate(
            {"departement": "2A", "domains": ["juggling"]})), "'juggling' is not among the InterventionDomain values"),
    ],
)
def test_a_derivation_that_is_not_the_same_fact_on_its_contract_is_refused(derive, reported):
    declared = {V2: replace(v1_beside(), derive=derive)}
    with pytest.raises(OffContractError, match=reported):
        side_by_side.older_copies(as_v2(registered()), declared)


def test_a_subject_names_its_version_and_the_newer_ones_published_beside_it():
    assert subjects.version_of(V2) == (V2.removesuffix(".v2"), 2)
    assert side_by_side.newer_subjects(V1, {V2: v1_beside()}) == [V2]
    assert side_by_side.newer_subjects(V2, {V2: v1_beside()}) == []
