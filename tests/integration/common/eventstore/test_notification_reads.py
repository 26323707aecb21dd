"""The notification log read without the topics that stay in the service, on SQLite and
PostgreSQL: what the relay reads."""

from datetime import date

from eventsourcing.utils import get_topic

from peerwork_registry.application import Registry
from peerwork_registry.domain.peer_worker import PeerWorker
from tests.helpers import CONSENT

REGISTERED, LEGAL_BASIS = get_topic(PeerWorker.Registered), get_topic(PeerWorker.LegalBasisRecorded)


def test_the_topics_left_out_are_not_read_and_the_read_says_how_far_it_went(store_env):
    registry = Registry(env=store_env)
    for name in ("Anne", "Bea", "Carl"):  # each registration, then its legal basis: 1 to 6
        registry.register_peer_worker(name, "38", ["addiction"], date(2021, 1, 1), legal_basis=CONSENT)
    read = registry.recorder.select_notifications_except

    everything, went_over = read(1, 10, [])
    assert ([n.id for n in everything], went_over) == ([1, 2, 3, 4, 5, 6], 6)
    assert everything == registry.recorder.select_notifications(1, 10)
    # Fewer than asked for: the read went over the log to its end, the legal basis last included.
    registrations, went_over = read(1, 10, [LEGAL_BASIS])
    assert ([(n.id, n.topic) for n in registrations], went_over) == ([(i, REGISTERED) for i in (1, 3, 5)], 6)
    registrations, went_over = read(2, 2, [LEGAL_BASIS])
    assert ([n.id for n in registrations], went_over) == ([3, 5], 5)  # as many as asked: up to the last
    assert read(6, 10, [LEGAL_BASIS]) == ([], 6)
    assert read(7, 10, [LEGAL_BASIS]) == ([], 6)  # nothing new: where it started
    registry.close()
