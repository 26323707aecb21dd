"""Given events, when a command, then events (or a refusal) — PeerNetwork."""

from datetime import date
from uuid import uuid4

import pytest

from peerwork_accompaniment.domain.peer_network import PeerNetwork, Territory
from peerwork_common.domain.errors import InvalidValueError, NotFoundError, RuleBrokenError

FORMED = date(2016, 5, 12)
ISERE = Territory.of(None, "38")


def formed() -> PeerNetwork:
    network = PeerNetwork.form("Réseau de l'Isère", ISERE, FORMED)
    network.collect_events()
    return network


def test_a_territory_is_a_departement_in_its_region_a_region_or_the_nation():
    assert (ISERE.region, ISERE.departement) == ("84", "38")
    assert Territory.of("84", None) == Territory("84", None)
    assert Territory.of(None, None) == Territory(None, None)
    with pytest.raises(InvalidValueError, match="lies in région 84, not 11"):
        Territory.of("11", "38")
    with pytest.raises(InvalidValueError):
        Territory.of("99", None)


def test_a_meeting_is_held_while_the_network_exists_with_someone_taking_part():
    network = formed()
    people = (uuid4(), uuid4())
    meeting = network.hold_meeting(date(2022, 5, 2), "network_meeting", 3, people, 4)
    (held,) = network.collect_events()
    assert isinstance(held, PeerNetwork.MeetingHeld)
    assert (held.region, held.departement, held.peer_worker_ids, held.other_participants) == ("84", "38", list(people), 4)
    assert network.meeting(meeting.meeting_id) == meeting
    with pytest.raises(RuleBrokenError, match="only formed on 2016-05-12"):
        network.hold_meeting(date(2016, 5, 1), "other", 1, people, 0)
    with pytest.raises(InvalidValueError, match="has participants"):
        network.hold_meeting(date(2022, 5, 2), "other", 1, (), 0)
    with pytest.raises(InvalidValueError, match="once per meeting"):
        network.hold_meeting(date(2022, 5, 2), "other", 1, (people[0], people[0]), 0)
    with pytest.raises(InvalidValueError, match="hours"):
        network.hold_meeting(date(2022, 5, 2), "other", 25, people, 0)
    with pytest.raises(ValueError):
        network.hold_meeting(date(2022, 5, 2), "party", 1, people, 0)
    assert network.collect_events() == []


def test_a_network_ends_after_its_last_meeting_and_meets_no_more():
    network = formed()
    network.hold_meeting(date(2022, 5, 2), "other", 1, (), 3)
    with pytest.raises(RuleBrokenError, match="met on 2022-05-02"):
        network.end(date(2022, 5, 2))
    network.end(date(2022, 6, 1))
    with pytest.raises(RuleBrokenError, match="no longer meets"):
        network.hold_meeting(date(2022, 6, 1), "other", 1, (), 3)
    with pytest.raises(RuleBrokenError, match="ended on 2022-06-01 already"):
        network.end(date(2022, 7, 1))
    network.retract_end("Le réseau continue")
    assert network.ended_on is None
    assert [type(e) for e in network.collect_events()] == [
        PeerNetwork.MeetingHeld, PeerNetwork.Ended, PeerNetwork.EndRetracted]


def test_a_meetings_correction_says_who_was_added_and_removed_and_why():
    network = formed()
    kept, wrong, forgotten = uuid4(), uuid4(), uuid4()
    meeting = network.hold_meeting(date(2022, 5, 2), "other", 1, (kept, wrong), 0)
    network.collect_events()
    with pytest.raises(InvalidValueError, match="say why"):
        network.correct_meeting(meeting.meeting_id, date(2022, 5, 2), "other", 2, (kept,), 0, " ")
    with pytest.raises(RuleBrokenError, match="changes nothing"):
        network.correct_meeting(meeting.meeting_id, date(2022, 5, 2), "other", 1, (kept, wrong), 0, "rien")
    network.correct_meeting(meeting.meeting_id, date(2022, 5, 3), "exchange_of_practice", 2,
                            (kept, forgotten), 0, "Mauvaise liste")
    (corrected,) = network.collect_events()
    assert (corrected.peer_workers_added, corrected.peer_workers_removed) == ([forgotten], [wrong])
    assert network.meeting(meeting.meeting_id).peer_worker_ids == (kept, forgotten)
    network.retract_meeting(meeting.meeting_id, "Doublon")
    with pytest.raises(NotFoundError):
        network.meeting(meeting.meeting_id)


def test_a_network_correction_keeps_its_meetings_within_its_life():
    network = formed()
    network.hold_meeting(date(2018, 5, 2), "other", 1, (), 3)
    with pytest.raises(RuleBrokenError, match="met on 2018-05-02"):
        network.correct("Réseau", ISERE, date(2019, 1, 1), "Date")
    network.correct("Réseau du Rhône", Territory.of(None, "69"), FORMED, "Mauvais département")
    assert (network.name, network.departement) == ("Réseau du Rhône", "69")

