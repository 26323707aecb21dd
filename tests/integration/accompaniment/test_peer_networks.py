"""Peers' collective organisation through the accompaniment's HTTP API, on SQLite and
PostgreSQL: networks, their meetings and who took part, corrections saying why, the list
and its territory; refusals that are 4xx with a message and store nothing."""

from uuid import uuid4

import httpx
import pytest

from peerwork_accompaniment.application import Accompaniments
from peerwork_accompaniment.publication import to_contract
from peerwork_accompaniment.registry_records import RegistryRecords
from peerwork_contracts import accompaniment as contract
from tests.integration.registry_events import (
    known_peer_worker,
    peer_worker_erased,
    peer_worker_registered,
    peer_worker_reinstated,
    peer_worker_withdrawn,
)
from tests.integration.test_territory import ISERE, NATIONAL


def stored(application: Accompaniments) -> int:
    return application.recorder.max_notification_id() or 0


def form(api, **overrides) -> str:  # noqa: ANN001
    body = {"name": "Réseau des pairs de l'Isère", "scope": "departement", "departement": "38",
            "formed_on": "2016-03-01", **overrides}
    response = api.post("/peer-networks", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def meet(api, network: str, headers: dict[str, str] | None = None, **overrides) -> httpx.Response:  # noqa: ANN001
    body = {"held_on": "2022-05-10", "kind": "exchange_of_practice", "hours": 2.5, "other_participants": 3,
            **overrides}
    return api.post(f"/peer-networks/{network}/meetings", json=body, headers=headers)


def published(application: Accompaniments) -> list:
    return [
        event for notification in application.recorder.select_notifications(1, 1000)
        if (event := to_contract(application.mapper.to_domain_event(notification), notification.id))
    ]


def test_a_network_reads_back_with_its_meetings_and_who_took_part(api, application):
    network = form(api)
    people = [str(known_peer_worker(application)), str(known_peer_worker(application, "69"))]
    held = meet(api, network, peer_worker_ids=people)
    assert held.status_code == 201, held.text
    assert meet(api, network, held_on="2022-09-20", kind="co_construction_with_institutions",
                peer_worker_ids=people[:1], other_participants=0).status_code == 201
    body = api.get(f"/peer-networks/{network}").json()
    assert (body["scope"], body["region"], body["departement"], body["status"]) == ("departement", "84", "38", "active")
    assert [(m["held_on"], m["kind"], m["peer_worker_ids"]) for m in body["meetings_held"]] == [
        ("2022-05-10", "exchange_of_practice", people),
        ("2022-09-20", "co_construction_with_institutions", people[:1]),
    ]
    assert (body["meetings"], body["last_met_on"]) == (2, "2022-09-20")
    events = published(application)
    assert [type(e) for e in events] == [contract.PeerNetworkFormed, contract.MeetingHeld, contract.MeetingHeld]
    assert events[1].payload.peer_worker_ids == tuple(map(type(events[0].aggregate_id), people))
    assert events[1].occurred_at.isoformat() == "2022-05-10"


def test_regional_and_national_networks(api):
    regional = form(api, scope="region", departement=None, region="84", name="Réseau AURA")
    national = form(api, scope="national", departement=None, name="Collectif national")
    assert api.get(f"/peer-networks/{regional}").json()["scope"] == "region"
    assert api.get(f"/peer-networks/{national}").json()["region"] is None


def test_mistakes_are_put_right_by_corrections_saying_why(api, application):
    network = form(api)
    meeting = meet(api, network).json()["id"]
    other = meet(api, network, held_on="2022-06-01").json()["id"]
    corrected = api.post(f"/peer-networks/{network}/meetings/{meeting}/correct", json={
        "held_on": "2022-05-11", "kind": "network_meeting", "hours": 3, "other_participants": 5,
        "reason": "Saisie le mauvais jour",
    })
    assert corrected.status_code == 200, corrected.text
    assert (corrected.json()["held_on"], corrected.json()["other_participants"]) == ("2022-05-11", 5)
    retracted = api.post(f"/peer-networks/{network}/meetings/{other}/retract", json={"reason": "Doublon"})
    assert retracted.status_code == 200, retracted.text
    assert [m["id"] for m in retracted.json()["meetings_held"]] == [meeting]
    assert api.post(f"/peer-networks/{network}/end", json={"ended_on": "2023-01-01"}).json()["status"] == "ended"
    reopened = api.post(f"/peer-networks/{network}/end/retract", json={"reason": "Le réseau continue"})
    assert reopened.json()["status"] == "active"
    moved = api.post(f"/peer-networks/{network}/correct", json={
        "name": "Réseau des pairs du Rhône", "scope": "departement", "departement": "69", "formed_on": "2016-03-01",
        "reason": "Mauvais département",
    })
    assert (moved.json()["departement"], moved.json()["name"]) == ("69", "Réseau des pairs du Rhône")
    kinds = [type(e) for e in published(application)][3:]
    assert kinds == [contract.MeetingCorrected, contract.MeetingRetracted, contract.PeerNetworkEnded,
                     contract.PeerNetworkEndRetracted, contract.PeerNetworkCorrected]
    assert all("reason" not in e.payload.model_dump() for e in published(application))


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"hours": 0}, 422, "greater than 0"),
    ({"hours": 30}, 422, "less than or equal to 24"),
    ({"kind": "party"}, 422, "exchange_of_practice"),
    ({"held_on": "2016-01-01"}, 409, "only formed on 2016-03-01"),
    ({"other_participants": 0}, 422, "a meeting has participants"),
    ({"peer_worker_ids": ["not-an-id"]}, 422, "UUID"),
])
def test_a_meeting_refused_stores_nothing(api, application, body, status, says):
    network = form(api)
    before = stored(application)
    refused = meet(api, network, **body)
    assert refused.status_code == status, refused.text
    assert says in refused.text
    assert stored(application) == before


def test_a_meeting_names_peer_workers_the_registry_has_and_not_erased(api, application):
    network = form(api)
    before = stored(application)
    unknown = meet(api, network, peer_worker_ids=[str(uuid4())])
    assert unknown.status_code == 422 and "peer worker" in unknown.json()["detail"], unknown.text
    erased = known_peer_worker(application)
    records = RegistryRecords.of(application)
    records.apply([peer_worker_erased(erased, records.last_sequence() + 1)], records.last_sequence() + 1)
    gone = meet(api, network, peer_worker_ids=[str(erased)])
    assert gone.status_code == 410, gone.text
    twice = known_peer_worker(application)
    assert meet(api, network, peer_worker_ids=[str(twice)] * 2).status_code == 422
    assert stored(application) == before


def test_a_peer_worker_withdrawn_from_the_census_is_named_in_no_meeting_held_since_until_reinstated(api, application):
    # Withdrawn: they left peer work, or withdrew the consent their record rested on, which
    # the registry's events do not tell apart; either way the record makes no new count.
    network, peer_worker = form(api), uuid4()
    records = RegistryRecords.of(application)
    history = [peer_worker_registered(peer_worker, "38", 1), peer_worker_withdrawn(peer_worker, "38", 2)]
    records.apply(history, last_sequence=records.last_sequence() + 2)
    before = stored(application)
    refused = meet(api, network, peer_worker_ids=[str(peer_worker)])  # held after the withdrawal
    assert refused.status_code == 409 and "withdrawn" in refused.json()["detail"], refused.text
    assert stored(application) == before
    # What they took part in while a peer worker is still recorded, whenever it is.
    assert meet(api, network, held_on="2021-11-30", peer_worker_ids=[str(peer_worker)]).status_code == 201
    records.apply([peer_worker_reinstated(peer_worker, "38", 3)], last_sequence=records.last_sequence() + 1)
    assert meet(api, network, peer_worker_ids=[str(peer_worker)]).status_code == 201


def test_staff_of_a_territory_do_not_learn_that_someone_elsewhere_was_withdrawn(api, application):
    network, peer_worker = form(api), uuid4()
    records = RegistryRecords.of(application)
    history = [peer_worker_registered(peer_worker, "75", 1), peer_worker_withdrawn(peer_worker, "75", 2)]
    records.apply(history, last_sequence=records.last_sequence() + 2)
    refused = meet(api, network, headers=ISERE, peer_worker_ids=[str(peer_worker)])
    assert refused.status_code == 403 and "withdrawn" not in refused.text, refused.text


def test_the_registry_events_read_again_keep_an_erased_person_out_of_the_withdrawals(application):
    # As after the migration that made the withdrawals: the registry's events from the start.
    peer_worker, records = uuid4(), RegistryRecords.of(application)
    history = [
        peer_worker_registered(peer_worker, "38", 1), peer_worker_withdrawn(peer_worker, "38", 2),
        peer_worker_erased(peer_worker, 3),
    ]
    records.apply(history, last_sequence=3)
    records.apply(history[:2], last_sequence=2)
    with records._datastore.transaction(commit=False) as cursor:
        cursor.execute(f"SELECT count(*) AS n FROM {records._withdrawals}")
        assert cursor.fetchone()["n"] == 0
    assert records.get(peer_worker).erased and records.get(peer_worker).withdrawn_on is None


@pytest.mark.parametrize(("body", "says"), [
    ({"scope": "departement", "departement": None, "region": "84"}, "names its departement"),
    ({"scope": "national", "departement": "38"}, "neither"),
    ({"scope": "region", "departement": None, "region": "99"}, "region"),
    ({"name": " "}, "name"),
    ({"formed_on": "2999-01-01"}, "future"),
])
def test_a_network_refused_stores_nothing(api, application, body, says):
    before = stored(application)
    response = api.post("/peer-networks", json={
        "name": "Réseau", "scope": "departement", "departement": "38", "formed_on": "2016-03-01", **body,
    })
    assert 400 <= response.status_code < 500 and says in response.text, response.text
    assert stored(application) == before


def test_corrections_say_why_and_change_something(api, application):
    network = form(api)
    meeting = meet(api, network).json()["id"]
    before = stored(application)
    no_reason = api.post(f"/peer-networks/{network}/meetings/{meeting}/retract", json={"reason": ""})
    assert no_reason.status_code == 422
    same = api.post(f"/peer-networks/{network}/meetings/{meeting}/correct", json={
        "held_on": "2022-05-10", "kind": "exchange_of_practice", "hours": 2.5, "other_participants": 3,
        "reason": "rien",
    })
    assert same.status_code == 409 and "changes nothing" in same.text
    unknown = api.post(f"/peer-networks/{network}/meetings/{uuid4()}/retract", json={"reason": "x"})
    assert unknown.status_code == 404
    not_ended = api.post(f"/peer-networks/{network}/end/retract", json={"reason": "x"})
    assert not_ended.status_code == 409
    early_end = api.post(f"/peer-networks/{network}/end", json={"ended_on": "2022-05-10"})
    assert early_end.status_code == 409 and "met on 2022-05-10" in early_end.text
    assert stored(application) == before


def test_the_list_is_filtered_paginated_and_of_the_token_territory(api, application):
    isere = form(api, name="Isère")
    form(api, name="Rhône", departement="69", formed_on="2018-01-01")
    form(api, name="AURA", scope="region", departement=None, region="84", formed_on="2017-01-01")
    ended = form(api, name="Paris", departement="75", formed_on="2019-01-01")
    api.post(f"/peer-networks/{ended}/end", json={"ended_on": "2021-06-30"})
    meet(api, isere)
    first = api.get("/peer-networks", params={"limit": 2}).json()
    second = api.get("/peer-networks", params={"limit": 2, "cursor": first["next"]}).json()
    assert [n["name"] for n in first["items"] + second["items"]] == ["Isère", "AURA", "Rhône", "Paris"]
    assert first["items"][0]["meetings"] == 1
    assert [n["name"] for n in api.get("/peer-networks", params={"region": "84"}).json()["items"]] == [
        "Isère", "AURA", "Rhône"]
    assert [n["name"] for n in api.get("/peer-networks", params={"scope": "region"}).json()["items"]] == ["AURA"]
    active = api.get("/peer-networks", params={"active_on": "2022-12-31"}).json()["items"]
    assert "Paris" not in [n["name"] for n in active]
    assert [n["name"] for n in api.get("/peer-networks", params={"status": "ended"}).json()["items"]] == ["Paris"]
    mine = api.get("/peer-networks", headers=ISERE).json()["items"]
    assert [n["name"] for n in mine] == ["Isère"]
    assert api.get("/peer-networks", params={"colour": "red"}).status_code == 422
    assert len(api.get("/peer-networks", headers=NATIONAL).json()["items"]) == 4


def test_staff_of_a_territory_keep_to_its_networks(api, application):
    rhone = form(api, departement="69")
    regional = form(api, scope="region", departement=None, region="84")
    before = stored(application)
    assert api.post("/peer-networks", headers=ISERE, json={
        "name": "R", "scope": "departement", "departement": "69", "formed_on": "2020-01-01"}).status_code == 403
    refused = api.post("/peer-networks", headers=ISERE, json={
        "name": "R", "scope": "region", "region": "84", "formed_on": "2020-01-01"})
    assert refused.status_code == 403 and "national scope" in refused.text
    for network in (rhone, regional):
        assert api.get(f"/peer-networks/{network}", headers=ISERE).status_code == 404
        assert meet(api, network, headers=ISERE).status_code == 404
    outside = known_peer_worker(application, "69")
    isere = form(api)
    before = stored(application)
    held = api.post(f"/peer-networks/{isere}/meetings", headers=ISERE, json={
        "held_on": "2022-05-10", "kind": "other", "hours": 1, "peer_worker_ids": [str(outside)]})
    assert held.status_code == 403, held.text
    assert stored(application) == before


def test_a_correction_never_names_again_a_person_erased_since(api, application):
    network = form(api)
    erased, other = known_peer_worker(application), known_peer_worker(application)
    meeting = meet(api, network, peer_worker_ids=[str(erased)]).json()["id"]
    records = RegistryRecords.of(application)
    records.apply([peer_worker_erased(erased, records.last_sequence() + 1)], records.last_sequence() + 1)
    body = {"held_on": "2022-05-10", "kind": "exchange_of_practice", "hours": 2.5, "other_participants": 3,
            "reason": "Une paire oubliée"}
    before = stored(application)
    removed = api.post(f"/peer-networks/{network}/meetings/{meeting}/correct",
                       json={**body, "peer_worker_ids": [str(other)]})
    assert removed.status_code == 410 and "stays as it was counted" in removed.text, removed.text
    assert stored(application) == before
    added = api.post(f"/peer-networks/{network}/meetings/{meeting}/correct",
                     json={**body, "peer_worker_ids": [str(erased), str(other)]})
    assert added.status_code == 200, added.text
    correction = published(application)[-1]
    assert isinstance(correction, contract.MeetingCorrected)
    assert (correction.payload.peer_workers_added, correction.payload.peer_workers_removed) == ((other,), ())
    assert str(erased) not in correction.model_dump_json()
