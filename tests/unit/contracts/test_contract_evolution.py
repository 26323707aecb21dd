"""Models read what a newer minor version adds; nothing off-contract is built to publish."""

import json
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from peerwork_contracts import accompaniment, catalogue, registry
from peerwork_contracts.evolution import OffContractError, UnknownValue, off_contract, unknown_values
from peerwork_contracts.vocabulary import InterventionDomain, Sector
from peerwork_registry.domain.partner_structure import PartnerStructure
from peerwork_registry.publication import to_contract

RECORDED = datetime(2024, 1, 1, tzinfo=UTC)


def structure_registered(**payload: object) -> registry.PartnerStructureRegistered:
    return registry.PartnerStructureRegistered.build(
        occurred_at=date(2021, 3, 1), recorded_at=RECORDED, position=7, aggregate_id=uuid4(),
        aggregate_version=1,
        payload={"name": "Relais", "siret": None, "departement": "38", "sector": "culture", **payload},
    )


def as_a_newer_version_publishes(event: registry.PartnerStructureRegistered, **changes: object) -> bytes:
    message = json.loads(event.model_dump_json())
    message["payload"].update(changes)
    message["correlation"] = "an envelope field of a newer version"
    return json.dumps(message).encode()


def test_fields_of_a_newer_version_are_kept_aside_and_the_rest_reads_as_before():
    event = structure_registered()
    parsed = catalogue.parse(event.subject(), as_a_newer_version_publishes(event, opened_in=2004))
    assert parsed.payload.sector is Sector.CULTURE
    assert parsed.payload.model_extra == {"opened_in": 2004}
    assert unknown_values(parsed) == []


def test_values_of_a_newer_version_arrive_as_unknown_values_and_are_listed():
    event = registry.PeerWorkerRegistered.build(
        occurred_at=date(2021, 3, 1), recorded_at=RECORDED, position=8, aggregate_id=uuid4(),
        aggregate_version=1, payload={"departement": "38", "domains": ["addiction"]},
    )
    message = json.loads(event.model_dump_json())
    message["payload"]["domains"] = ["addiction", "sport"]
    parsed = catalogue.parse(event.subject(), json.dumps(message).encode())
    addiction, sport = parsed.payload.domains
    assert addiction is InterventionDomain.ADDICTION
    assert isinstance(sport, UnknownValue) and sport == "sport" and sport not in set(InterventionDomain)
    assert unknown_values(parsed) == ["payload.domains[1]: 'sport' is not among the InterventionDomain values this version knows"]
    assert unknown_values(parsed.model_copy(deep=True)) == unknown_values(parsed)


def test_what_is_not_text_is_still_refused_where_a_value_of_a_list_is_expected():
    event = structure_registered()
    with pytest.raises(catalogue.ValidationError, match="sector"):
        catalogue.parse(event.subject(), as_a_newer_version_publishes(event, sector=3))


def test_a_field_or_value_the_contract_does_not_define_is_never_built_to_publish():
    with pytest.raises(OffContractError, match=r"payload\.secter: not a field"):
        structure_registered(secter="culture")
    with pytest.raises(OffContractError, match=r"payload\.sector: 'culturre' is not among the Sector values"):
        structure_registered(sector="culturre")
    hired = dict(
        structure_id=uuid4(), departement="38", hiring_id=uuid4(), peer_worker_id=uuid4(),
        starts_on=date(2022, 3, 1), new_peer_worker={"departement": "38", "domains": ["sport"]},
    )
    with pytest.raises(OffContractError, match=r"payload\.new_peer_worker\.domains\[0\]"):
        accompaniment.PeerWorkerHired.build(
            occurred_at=date(2022, 3, 1), recorded_at=RECORDED, position=1, aggregate_id=uuid4(),
            aggregate_version=2, payload=hired,
        )


def test_the_registry_publishes_no_value_its_contract_does_not_know():
    stored = PartnerStructure.Registered(
        originator_id=uuid4(), originator_version=1, timestamp=RECORDED,
        originator_topic="peerwork_registry.domain.partner_structure:PartnerStructure", name="Relais", siret=None, departement="38", sector="sport", effective_on=date(2021, 3, 1),
    )
    with pytest.raises(OffContractError, match="'sport' is not among the Sector values"):
        to_contract(stored, 1)


def test_what_was_parsed_tolerantly_is_off_contract_to_publish_again():
    event = structure_registered()
    parsed = catalogue.parse(event.subject(), as_a_newer_version_publishes(event, sector="sport"))
    assert off_contract(parsed) == [
        "correlation: not a field of PartnerStructureRegistered",
        "payload.sector: 'sport' is not among the Sector values this version knows",
    ]


@pytest.mark.parametrize("where", ["envelope", "payload", "a model in a tuple", "a value in a tuple"])
def test_what_is_off_contract_is_found_wherever_it_is(where):
    reinstated = registry.PeerWorkerReinstated.build(
        occurred_at=date(2021, 3, 1), recorded_at=RECORDED, position=7, aggregate_id=uuid4(), aggregate_version=2,
        payload={"departement": "38", "reopened": [{"employment_id": uuid4(), "ends_on": None}]},
    )
    registered = registry.PeerWorkerRegistered.build(
        occurred_at=date(2021, 3, 1), recorded_at=RECORDED, position=7, aggregate_id=uuid4(), aggregate_version=1,
        payload={"departement": "38", "domains": ["addiction"]},
    )
    assert off_contract(reinstated) == off_contract(registered) == []
    message = json.loads(reinstated.model_dump_json())
    if where == "envelope":
        message["correlation"] = "new"
    elif where == "payload":
        message["payload"]["region"] = "84"
    elif where == "a model in a tuple":
        message["payload"]["reopened"][0]["reason"] = "new"
    else:
        message = json.loads(registered.model_dump_json())
        message["payload"]["domains"].append("sport")
    parsed = catalogue.parse(registry.PeerWorkerReinstated.subject() if where != "a value in a tuple"
                             else registry.PeerWorkerRegistered.subject(), json.dumps(message).encode())
    assert len(off_contract(parsed)) == 1
