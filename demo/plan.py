"""The demo as HTTP commands: what each sends, and what it creates for later ones to name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Service = Literal["registry", "accompaniment"]


@dataclass(frozen=True)
class Ref:
    """Stands for the id a service gave to what the command keyed ``key`` created."""

    key: str


@dataclass(frozen=True)
class Command:
    service: Service
    label: str  # what it does, for the summary and error messages
    path: tuple[str | Ref, ...]  # POSTed to, segments joined by "/"
    body: dict[str, Any]  # JSON, with ``date`` and ``Ref`` values still to render
    chain: str  # one aggregate: a chain's commands are sent in order, one at a time
    binds: str | None = None  # key of what it creates, bound to the response's ``id_field``
    id_field: str = "id"

    def refs(self) -> Iterator[Ref]:
        yield from (segment for segment in self.path if isinstance(segment, Ref))
        yield from _refs_in(self.body)


def _refs_in(value: object) -> Iterator[Ref]:
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _refs_in(item)
    elif isinstance(value, list):  # the peer workers of a meeting
        for item in value:
            yield from _refs_in(item)


@dataclass(frozen=True)
class Plan:
    """Stages are sent one after the other; within one, chains run side by side. A Ref
    names what an earlier stage, or an earlier command of the same chain, created."""

    seed: int
    today: date
    stages: tuple[tuple[Command, ...], ...]

    @property
    def commands(self) -> list[Command]:
        return [command for stage in self.stages for command in stage]

    def counts(self) -> Counter[str]:
        return Counter(command.label for command in self.commands)
