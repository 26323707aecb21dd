"""How a model reads what a newer minor version adds, and refuses to publish it.

Within a major version the contracts only grow (see "Evolution policy" in the README): new
events, new optional fields, new values of a closed list. So a subscriber parses tolerantly:
a field it does not know is kept aside (``model_extra``), a value it does not know arrives
as an ``UnknownValue``; ``unknown_values`` lists them, for a subscriber that cannot apply
an event without knowing them (it parks it, and replays it once upgraded). A publisher is
strict: ``off_contract`` lists both, and ``Event.build`` refuses an event that has any, so
that a typo or a value of a newer version never reaches the bus.
"""

from collections.abc import Iterator
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, get_args

from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema

from .vocabulary import (
    Audience,
    InterventionDomain,
    MeetingKind,
    Milestone,
    Outcome,
    RequestChannel,
    Sector,
    TrainingKind,
)


class UnknownValue(str):
    """A value of a closed list (``vocabulary``) that this version of the contracts does not
    know: a newer minor version added it. It equals no member of the list."""

    vocabulary: type[StrEnum]

    def __new__(cls, value: str, vocabulary: type[StrEnum]) -> "UnknownValue":
        unknown = super().__new__(cls, value)
        unknown.vocabulary = vocabulary
        return unknown

    def __getnewargs__(self) -> tuple[str, type[StrEnum]]:  # copied or pickled with its list
        return str(self), self.vocabulary

    def __repr__(self) -> str:
        return f"UnknownValue({str(self)!r}, {self.vocabulary.__name__})"


class Tolerant:
    """Makes a field of type ``vocabulary | UnknownValue`` take a known value as the member,
    and any other text as an ``UnknownValue``. Its JSON Schema is the closed list's: the
    contract documents what is published."""

    def __init__(self, vocabulary: type[StrEnum]) -> None:
        self.vocabulary = vocabulary

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        unknown = core_schema.no_info_after_validator_function(
            lambda value: UnknownValue(value, self.vocabulary), core_schema.str_schema()
        )
        # Left to right: a member whenever the text is one, only then an unknown value.
        known = handler.generate_schema(self.vocabulary)
        return core_schema.union_schema([known, unknown], mode="left_to_right")

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> Any:
        return handler(schema["choices"][0])


SectorValue = Annotated[Sector | UnknownValue, Tolerant(Sector)]
InterventionDomainValue = Annotated[InterventionDomain | UnknownValue, Tolerant(InterventionDomain)]
RequestChannelValue = Annotated[RequestChannel | UnknownValue, Tolerant(RequestChannel)]
MilestoneValue = Annotated[Milestone | UnknownValue, Tolerant(Milestone)]
OutcomeValue = Annotated[Outcome | UnknownValue, Tolerant(Outcome)]
TrainingKindValue = Annotated[TrainingKind | UnknownValue, Tolerant(TrainingKind)]
AudienceValue = Annotated[Audience | UnknownValue, Tolerant(Audience)]
MeetingKindValue = Annotated[MeetingKind | UnknownValue, Tolerant(MeetingKind)]


class OffContractError(ValueError):
    """An event holds what its version of the contracts does not define: it is not published."""


def unknown_values(model: BaseModel) -> list[str]:
    """Where ``model`` holds values of a newer version's closed lists, each as ``where: why``."""
    if _on_contract(model, fields_too=False):  # nearly every event: listing them, a tenth of a rebuild
        return []
    return [
        f"{path}: {str(value)!r} is not among the {value.vocabulary.__name__} values "
        "this version knows"
        for where, parent in _models(model, "")
        for path, value in _values(parent, where)
        if isinstance(value, UnknownValue)
    ]


def off_contract(model: BaseModel) -> list[str]:
    """Everything in ``model`` its contract does not define: unknown fields and values."""
    if _on_contract(model):
        return []
    unknown_fields = [
        f"{where}{name}: not a field of {type(parent).__name__}"
        for where, parent in _models(model, "")
        for name in parent.model_extra or {}
    ]
    return unknown_fields + unknown_values(model)


def _on_contract(model: BaseModel, fields_too: bool = True) -> bool:
    """Whether ``model`` holds nothing ``off_contract`` would list (``fields_too=False``:
    nothing ``unknown_values`` would), visiting what it visits. Every relayed and every
    consumed event is checked and nearly all are on their contract: listing what is not,
    through the generators below, was 20% of the relay's time (py-spy, 80,000 events), this 5%."""
    if fields_too and model.__pydantic_extra__:
        return False
    for name in _fields_to_visit(type(model)):
        value = getattr(model, name)
        for item in value if isinstance(value, tuple | list) else (value,):
            if isinstance(item, UnknownValue) or (isinstance(item, BaseModel) and not _on_contract(item, fields_too)):
                return False
    return True


def _models(model: BaseModel, where: str) -> Iterator[tuple[str, BaseModel]]:
    yield where, model
    for path, value in _values(model, where):
        if isinstance(value, BaseModel):
            yield from _models(value, f"{path}.")


def _values(model: BaseModel, where: str) -> Iterator[tuple[str, Any]]:
    for name in _fields_to_visit(type(model)):
        value = getattr(model, name)
        items = enumerate(value) if isinstance(value, tuple | list) else [(None, value)]
        for index, item in items:
            yield f"{where}{name}" + ("" if index is None else f"[{index}]"), item


@cache
def _fields_to_visit(model_type: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model_type`` that may hold a model or an unknown value: the others
    (ids, dates, numbers, text) can hold neither and are not visited. Every relayed event
    is checked: visiting all of an envelope's and payload's fields was a third of the
    relay's time."""
    return tuple(name for name, field in model_type.model_fields.items() if _may_hold(field.annotation))


def _may_hold(annotation: Any) -> bool:
    if annotation is Any or annotation is UnknownValue:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold(argument) for argument in get_args(annotation))
