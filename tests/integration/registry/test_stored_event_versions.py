"""Events stored in an earlier shape load with the current code: a registry store made by
the registry before the corrections carried ``recorded_on`` (tests/fixtures/
make_registry_corrections_v1.py), read now."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from peerwork_contracts import registry as contract
from peerwork_contracts.calendar import today
from peerwork_registry.application import Registry
from peerwork_registry.domain.peer_worker import PeerWorker
from peerwork_registry.domain.peer_worker_merge import MergedError
from peerwork_registry.publication import to_contract

FIXTURE = Path(__file__).parents[2] / "fixtures" / "registry_corrections_v1.sqlite"
DATED_BY_THEIR_RECORDING = (PeerWorker.EmploymentCancelled, PeerWorker.Reinstated, PeerWorker.Merged)


@pytest.fixture
def registry(tmp_path):
    store = tmp_path / "store.sqlite"
    shutil.copy(FIXTURE, store)  # opened, a store may be written to: never the committed file
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(store)})
    yield registry
    registry.close()


def stored(registry: Registry) -> list:
    notifications = registry.recorder.select_notifications(1, 100)
    return [(n.id, registry.mapper.to_domain_event(n)) for n in notifications]


def test_corrections_stored_without_a_date_read_as_dated_as_they_were_published(registry):
    corrections = [(position, e) for position, e in stored(registry) if isinstance(e, DATED_BY_THEIR_RECORDING)]
    assert [type(e) for _, e in corrections] == list(DATED_BY_THEIR_RECORDING)
    for position, domain_event in corrections:
        assert domain_event.recorded_on == domain_event.timestamp.date()
        assert to_contract(domain_event, position).occurred_at == domain_event.timestamp.date()


def test_the_peer_worker_loads_as_the_events_left_them_and_takes_new_corrections(registry):
    events = [e for _, e in stored(registry)]
    anne = next(e.into for e in events if isinstance(e, PeerWorker.Merged))
    twice = next(e.originator_id for e in events if isinstance(e, PeerWorker.Merged))
    peer_worker = registry.get_peer_worker(anne)
    (employment,) = peer_worker.employments.values()
    assert (employment.starts_on, employment.ends_on) == (date(2020, 4, 6), None)  # reinstated
    assert len(peer_worker.cancelled_employments) == 1
    assert (peer_worker.withdrawn_on, peer_worker.absorbed) == (None, [twice])
    assert peer_worker.registered_on == date(2019, 9, 2)  # the merged record's, earlier
    with pytest.raises(MergedError):
        registry.get_peer_worker(twice)

    registry.cancel_employment(anne, employment.employment_id, "recorded by mistake too")
    last = registry.recorder.select_notifications(1, 100)[-1]
    assert b'"class_version":2' in last.state
    cancelled = registry.mapper.to_domain_event(last)
    assert cancelled.recorded_on == today()  # the day in France
    published = to_contract(cancelled, last.id)
    assert isinstance(published, contract.EmploymentCancelled) and published.occurred_at == today()
