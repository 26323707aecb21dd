"""The compatibility gate: the models against the committed JSON Schema of every released
subject (contracts/schemas/), and the gate itself against deliberately breaking changes."""

from enum import StrEnum
from typing import Annotated

import pydantic
import pytest

from peerwork_contracts import compatibility, registry
from peerwork_contracts.envelope import Payload
from peerwork_contracts.evolution import Tolerant, UnknownValue
from peerwork_contracts.vocabulary import Sector

PAYLOAD = registry.PartnerStructureRegisteredPayload
SUBJECT = registry.PartnerStructureRegistered.subject()


def test_no_change_breaks_a_released_contract():
    """A break goes to a new subject version, published beside the old one (README)."""
    assert compatibility.breaking_changes(compatibility.released(), compatibility.current()) == []


def test_every_subject_published_has_its_baseline_up_to_date():
    """Regenerate with: .venv/bin/python -m peerwork_contracts.compatibility"""
    assert compatibility.released() == compatibility.current()


def changed(**fields: object) -> dict[str, dict]:
    """The current schemas, with the structure's registration published with ``fields``
    instead of its payload's (a field given as None is left out)."""
    kept = {name: (field.annotation, field) for name, field in PAYLOAD.model_fields.items()}
    kept.update(fields)
    payload = pydantic.create_model(
        PAYLOAD.__name__, __base__=Payload, **{name: f for name, f in kept.items() if f is not None}
    )
    event = pydantic.create_model(
        registry.PartnerStructureRegistered.__name__, __base__=registry.PartnerStructureRegistered,
        payload=(payload, ...),
    )
    return {**compatibility.current(), SUBJECT: event.model_json_schema()}


def sectors(*values: str) -> object:
    vocabulary = StrEnum("Sector", {value.upper(): value for value in values})
    return (Annotated[vocabulary | UnknownValue, Tolerant(vocabulary)], ...)


EVERY_SECTOR = tuple(member.value for member in Sector)


@pytest.mark.parametrize(
    ("change", "reported"),
    [
        (dict(siret=None), "event.payload.siret: removed"),
        (dict(departement=(int, ...)), "event.payload.departement: type 'string' became 'integer'"),
        (dict(opened_in=(int, ...)), "event.payload.opened_in: a new field that is required (messages "
         "already published lack it)"),
        (dict(siret=(str, ...)), "event.payload.siret: 2 possible types became 1"),
        (dict(name=(str | None, ...)), "event.payload.name: 1 possible types became 2"),
        (dict(name=(str, "")), "event.payload.name: became optional"),
        (dict(name=(str, pydantic.Field(min_length=1))), "event.payload.name: minLength None became 1"),
        (dict(sector=sectors(*EVERY_SECTOR[1:])), f"event.payload.sector: values ['{EVERY_SECTOR[0]}'] removed"),
    ],
)
def test_the_gate_reports_a_breaking_change(change, reported):
    problems = compatibility.breaking_changes(compatibility.released(), changed(**change))
    assert problems == [f"{SUBJECT}: {reported}"]


def test_the_gate_reports_a_subject_no_longer_in_the_catalogue():
    schemas = compatibility.current()
    del schemas[SUBJECT]
    assert compatibility.breaking_changes(compatibility.released(), schemas) == [
        f"{SUBJECT}: no longer in the catalogue (the stream keeps its messages: they stay readable)"
    ]


@pytest.mark.parametrize(
    "change",
    [
        dict(opened_in=(int | None, None)),  # a new optional field
        dict(sector=sectors(*EVERY_SECTOR, "sport")),  # a new value
        dict(name=(str, pydantic.Field(description="Said otherwise."))),
    ],
)
def test_a_compatible_addition_passes_the_gate(change):
    assert compatibility.breaking_changes(compatibility.released(), changed(**change)) == []


def test_a_new_subject_passes_and_an_old_one_kept_beside_it_stays_compared():
    schemas = changed(siret=None)
    second = {**compatibility.current(), SUBJECT.replace(".v1", ".v2"): schemas[SUBJECT]}
    assert compatibility.breaking_changes(compatibility.released(), second) == []


def test_the_baselines_are_not_written_while_a_change_breaks_one(tmp_path, monkeypatch):
    for subject, schema in compatibility.released().items():
        (tmp_path / f"{subject}.json").write_text(pydantic.TypeAdapter(dict).dump_json(schema).decode())
    before = {path.name: path.read_text() for path in tmp_path.iterdir()}
    breaking = changed(siret=None)
    monkeypatch.setattr(compatibility, "current", lambda: breaking)
    monkeypatch.setattr("sys.argv", ["compatibility", str(tmp_path)])
    with pytest.raises(SystemExit, match="siret: removed"):
        compatibility.main()
    assert {path.name: path.read_text() for path in tmp_path.iterdir()} == before
