from datetime import UTC, date, datetime
from importlib.metadata import version
from uuid import UUID, uuid4, uuid5

import pydantic
import pytest

from peerwork_accompaniment.config import Settings as AccompanimentSettings
from peerwork_common.messaging import asyncapi
from peerwork_common.messaging.consumer import EVERY_EVENT
from peerwork_contracts import accompaniment, catalogue, geography, registry, streams, subjects
from peerwork_contracts.envelope import event_id_for
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_registry.hirings import SUBJECTS as HIRINGS
from peerwork_reporting.config import Settings as ReportingSettings
from peerwork_reporting.storage.rebuild import REBUILD_SUFFIX

PERSONAL_FIELDS = {
    "display_name", "name_of_person", "email", "phone", "address",
    # free text may speak of people: it stays in the service that took it
    "note", "notes", "comment", "reason", "request",
}


def test_subjects_follow_the_naming_scheme():
    assert registry.PeerWorkerRegistered.subject() == "peerwork.registry.peer_worker.registered.v1"
    assert accompaniment.PeerWorkerHired.subject() == "peerwork.accompaniment.accompaniment.peer_worker_hired.v1"
    for event in catalogue.EVENTS:
        assert event.subject().startswith(f"peerwork.{event._default('source')}.")
        assert subjects.service_events(event._default("source")) in streams.EVENTS.subjects


def test_event_ids_are_deterministic():
    aggregate_id = uuid4()
    assert event_id_for(aggregate_id, 3) == event_id_for(aggregate_id, 3)
    assert event_id_for(aggregate_id, 3) != event_id_for(aggregate_id, 4)
    # The ids already published: a stored event keeps its id whatever computes it.
    assert event_id_for(UUID("78e28f25-41ec-4700-9a57-1b0c1f6d8e21"), 3) == UUID("771614be-f073-5827-9ff3-e1fc19c53378")
    assert event_id_for(aggregate_id, 3) == uuid5(UUID("6f1b8f0e-2a4c-4c61-9a57-1b0c1f6d8e21"), f"{aggregate_id}/3")


def test_no_public_payload_has_a_field_for_personal_data():
    for event in catalogue.EVENTS:
        payload_fields = set(event.model_fields["payload"].annotation.model_fields)
        assert not payload_fields & PERSONAL_FIELDS, event


def test_events_round_trip_and_are_frozen():
    event = registry.PeerWorkerRegistered.build(
        occurred_at=date(2021, 3, 1),
        recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
        position=7,
        aggregate_id=uuid4(),
        aggregate_version=1,
        payload=registry.PeerWorkerRegisteredPayload(departement="38", domains=["addiction"]),
    )
    parsed = catalogue.parse(event.subject(), event.model_dump_json().encode())
    assert parsed == event
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        parsed.position = 8  # type: ignore[misc]


def test_unknown_subjects_and_malformed_bodies_are_refused():
    with pytest.raises(catalogue.UnknownEventError):
        catalogue.parse("peerwork.registry.peer_worker.registered.v9", b"{}")
    with pytest.raises(catalogue.ValidationError):
        catalogue.parse("peerwork.registry.peer_worker.registered.v1", b"not json")


def test_the_cog_has_101_departements_in_18_regions():
    assert len(geography.DEPARTEMENTS) == 101
    assert len(geography.REGIONS) == 18
    assert geography.region("84").departement_codes == (
        "01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"
    )
    assert geography.region_of("2A").code == geography.region_of("2B").code == "94"
    assert geography.region_of("976").name == "Mayotte"
    assert "20" not in geography.DEPARTEMENTS
    assert geography.COG_VINTAGE == 2024


def test_the_committed_asyncapi_document_matches_the_code():
    """Regenerate with: .venv/bin/python -m peerwork_common.messaging.asyncapi"""
    assert asyncapi.committed()["info"]["version"] == version("peerwork-contracts")
    generated = asyncapi.generate(version("peerwork-contracts"))
    assert generated == asyncapi.committed()
    events = {key for key in generated["channels"] if key in generated["operations"]}  # those published
    assert events == set(catalogue.BY_SUBJECT)


def test_the_asyncapi_document_names_the_consumers_the_services_run():
    durable_names = {
        RegistrySettings.model_fields["hirings_consumer_name"].default: set(HIRINGS),
        AccompanimentSettings.model_fields["registry_records_consumer_name"].default: {subjects.service_events("registry")},
        ReportingSettings.model_fields["consumer_name"].default: {EVERY_EVENT},
        f"{ReportingSettings.model_fields['consumer_name'].default}{REBUILD_SUFFIX}": {EVERY_EVENT},
    }
    operations = asyncapi.committed()["operations"]
    consumed: dict[str, set[str]] = {}
    for operation in operations.values():
        if "x-durable-name" in operation:
            consumed.setdefault(operation["x-durable-name"], set()).add(
                operation["channel"]["$ref"].removeprefix("#/channels/")
            )
    assert consumed == durable_names


def test_a_hiring_by_national_staff_reads_as_in_1_1():
    """Payloads refused unknown fields up to 1.3: contracts 1.1's hiring, which has no ``territory``,
    must still parse a hiring recorded without one."""

    in_1_1 = {
        name: (field.annotation, field)
        for name, field in accompaniment.PeerWorkerHiredPayload.model_fields.items()
        if name != "territory"
    }
    HiredIn1_1 = pydantic.create_model(
        "HiredIn1_1", __config__=pydantic.ConfigDict(extra="forbid"), **in_1_1
    )

    fields = dict(
        structure_id=uuid4(), departement="38", hiring_id=uuid4(), peer_worker_id=uuid4(),
        new_peer_worker=None, starts_on=date(2022, 3, 1),
    )
    national = accompaniment.PeerWorkerHiredPayload(**fields).model_dump_json()
    assert "territory" not in national
    assert HiredIn1_1.model_validate_json(national)
    confined = accompaniment.PeerWorkerHiredPayload(**fields, territory=("38",))
    assert accompaniment.PeerWorkerHiredPayload.model_validate_json(
        confined.model_dump_json()
    ).territory == ("38",)


def test_a_retraction_of_any_milestone_but_a_hiring_reads_as_in_1_3_and_a_hiring_names_what_it_took_back():
    """Contracts 1.3's retraction has neither ``hiring_id`` nor ``peer_worker_id``, and refuses
    unknown fields: it must still parse the retraction of any other milestone."""
    new_fields = ("hiring_id", "peer_worker_id")
    in_1_3 = {
        name: (field.annotation, field)
        for name, field in accompaniment.MilestoneRetractedPayload.model_fields.items()
        if name not in new_fields
    }
    RetractedIn1_3 = pydantic.create_model("RetractedIn1_3", __config__=pydantic.ConfigDict(extra="forbid"), **in_1_3)
    fields = dict(structure_id=uuid4(), departement="38", still_reached_on=None)

    other = accompaniment.MilestoneRetractedPayload(**fields, milestone="team_awareness").model_dump_json()
    assert not any(name in other for name in new_fields)
    assert RetractedIn1_3.model_validate_json(other)
    hiring = dict(hiring_id=uuid4(), peer_worker_id=uuid4())
    retracted = accompaniment.MilestoneRetractedPayload(**fields, milestone="peer_worker_hired", **hiring)
    parsed = accompaniment.MilestoneRetractedPayload.model_validate_json(retracted.model_dump_json())
    assert (parsed.hiring_id, parsed.peer_worker_id) == (hiring["hiring_id"], hiring["peer_worker_id"])
    for milestone, given in (("peer_worker_hired", {"hiring_id": uuid4()}), ("team_awareness", hiring)):
        with pytest.raises(pydantic.ValidationError, match="given together, for a peer_worker_hired only"):
            accompaniment.MilestoneRetractedPayload(**fields, milestone=milestone, **given)
