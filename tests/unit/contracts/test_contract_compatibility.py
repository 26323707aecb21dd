"""The compatibility gate: the models against the committed JSON Schema of every released
subject (contracts/schemas/), and the gate itself against deliberately breaking changes."""

from datetime import date
from enum import StrEnum
from typing import Annotated

import pydantic
import pytest

from peerwork_contracts import compatibility, registry, side_by_side
from peerwork_contracts.envelope import Payload
from peerwork_contracts.evolution import Tolerant, UnknownValue
from peerwork_contracts.vocabulary import Sector
from tests.side_by_side import V1, V2, PeerWorkerRegisteredV2, PeerWorkerRegisteredV2Payload, v1_beside

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


def catalogue_with(*, v1: bool = True, v2: bool = True, v1_shaped_as_v2: bool = False) -> dict[str, dict]:
    """The current schemas after a deliberate breaking change of the peer worker's
    registration (``tests.side_by_side``): as a v2 beside v1, as a v2 in v1's place, or made
    to v1 itself."""
    schemas = compatibility.current()
    if v1_shaped_as_v2:
        broken = pydantic.create_model(
            "PeerWorkerRegistered", __base__=registry.PeerWorkerRegistered, payload=(PeerWorkerRegisteredV2Payload, ...)
        )
        schemas[V1] = broken.model_json_schema()
    if not v1:
        del schemas[V1]
    if v2:
        schemas[V2] = PeerWorkerRegisteredV2.model_json_schema()
    return schemas


REPLACED = (
    f"{V1}: replaced by {V2}, but no longer published beside it (declare it in side_by_side.SIDE_BY_SIDE, "
    f"to retire at least 12 months after {V2}'s release)"
)


@pytest.mark.parametrize(
    ("schemas", "side_by_side", "reported"),
    [
        pytest.param(catalogue_with(v2=False, v1_shaped_as_v2=True), {}, [
            f"{V1}: event.payload.departement: removed",
            f"{V1}: event.payload.departement_code: a new field that is required (messages already published lack it)",
        ], id="made to the released version, no newer one"),
        pytest.param(catalogue_with(v1=False), {}, [
            f"{V1}: no longer in the catalogue (the stream keeps its messages: they stay readable)", REPLACED,
        ], id="a newer version in its place"),
        pytest.param(catalogue_with(), {}, [REPLACED], id="a newer version, the released one no longer published"),
        pytest.param(catalogue_with(), {V2: v1_beside(date(2025, 6, 1), date(2026, 5, 31))}, [
            f"{V1}: retires on 2026-05-31, less than 12 months after {V2}'s release (2025-06-01)",
        ], id="published beside it for less than 12 months"),
        pytest.param(catalogue_with(v2=False), {V2: v1_beside()}, [
            f"{V2}: declared in SIDE_BY_SIDE, but not in the catalogue",
        ], id="beside a version not in the catalogue"),
    ],
)
def test_the_gate_fails_a_breaking_change_unless_the_released_version_is_published_beside_the_new(
    schemas, side_by_side, reported
):
    assert compatibility.breaking_changes(compatibility.released(), schemas, side_by_side) == reported


@pytest.mark.parametrize(
    "published_beside",
    [
        pytest.param(v1_beside(date(2025, 6, 1), date(2026, 6, 1)), id="for 12 months"),
        pytest.param(v1_beside(date(2020, 1, 31), date(2021, 1, 31)), id="retired since: the entry stays as the record"),
    ],
)
def test_a_new_version_passes_the_gate_with_the_released_one_published_beside_it(published_beside):
    assert compatibility.breaking_changes(compatibility.released(), catalogue_with(), {V2: published_beside}) == []


def test_the_real_contracts_declare_every_version_published_beside_a_newer_one():
    """Empty today: no subject has a second version."""
    assert compatibility.breaking_changes(compatibility.released(), compatibility.current(), side_by_side.SIDE_BY_SIDE) == []


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
