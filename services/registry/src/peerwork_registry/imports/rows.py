"""A line of an import file as the API command it stands for, checked by the API's own
schemas (and so by the domain's value checks), or what is wrong with it, column by column."""

from dataclasses import dataclass
from functools import cached_property
from uuid import NAMESPACE_OID, UUID, uuid5

from pydantic import BaseModel

from .cells import Cells, Problem
from .layout import KIND_WORDS, Column, Kind, plain
from .row_commands import body, missing, validated
from .sheets import Line


@dataclass(frozen=True)
class Row:
    line: int
    kind: Kind
    key: str  # the row's stable key: the reference, or for an employment without one, what it joins
    command: BaseModel  # RegisterStructure, RegisterPeerWorker or RecordEmployment
    peer_worker: str | None = None  # an employment's references
    structure: str | None = None

    @cached_property  # read three times a row: a uuid5 each
    def record_id(self) -> UUID:
        return record_id(self.kind, self.key)


@dataclass(frozen=True)
class Refused:
    """A line whose values do not make a command: what is wrong, and what it would record."""

    line: int
    kind: Kind | None
    reference: str | None
    problems: list[Problem]


def record_id(kind: Kind, key: str) -> UUID:
    """The id of the record a row's key stands for: the same at every import of the row."""
    return uuid5(NAMESPACE_OID, f"peerwork/import/{kind.value}/{key}")


def parse(line: Line, columns: dict[int, Column], headers: list[str]) -> Row | Refused:
    cells = Cells.of(line, columns, headers)
    values = cells.values
    kind = KIND_WORDS.get(plain(values.get("kind", "")))
    if kind is None:
        words = "structure, travailleur pair (peer worker) or emploi (employment)"
        return Refused(
            line.number,
            None,
            None,
            [cells.problem("kind", f"{values.get('kind', '')!r} is not a kind of row: write {words}")],
        )
    reference = values.get("reference")
    problems = missing(cells, kind)
    fields = body(cells, kind, problems)
    if kind is Kind.EMPLOYMENT and "structure" in values:
        fields["structure_id"] = record_id(Kind.STRUCTURE, values["structure"])
    command = validated(cells, kind, fields, problems)
    if problems:
        return Refused(line.number, kind, reference, problems)
    if kind is Kind.EMPLOYMENT:
        key = reference or f"{values['peer_worker']}/{values['structure']}/{command.starts_on.isoformat()}"
        return Row(line.number, kind, key, command, values["peer_worker"], values["structure"])
    return Row(line.number, kind, reference, command)
