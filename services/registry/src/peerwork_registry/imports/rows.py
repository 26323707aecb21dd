"""A line of an import file as the API command it stands for, checked by the API's own
schemas (and so by the domain's value checks), or what is wrong with it, column by column."""

import re
from dataclasses import dataclass
from functools import cached_property
from uuid import NAMESPACE_OID, UUID, uuid5

from pydantic import BaseModel, ValidationError

from ..entrypoints.schemas import RecordEmployment, RegisterPeerWorker, RegisterStructure
from .layout import BASIS_WORDS, BY_KEY, CONSENT_WORDS, KIND_WORDS, NO, YES, Column, Kind, plain
from .sheets import Line


@dataclass(frozen=True)
class Problem:
    line: int
    column: str | None  # the header as the file has it; None for the whole line
    message: str


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


# Which field of each command a column fills.
_FIELDS = {
    Kind.STRUCTURE: {
        "name": "name",
        "siret": "siret",
        "departement": "departement",
        "sector": "sector",
        "effective_on": "effective_on",
        "despite_same_name": "despite_same_name",
    },
    Kind.PEER_WORKER: {
        "name": "display_name",
        "departement": "departement",
        "domains": "domains",
        "effective_on": "registered_on",
    },
    Kind.EMPLOYMENT: {"structure": "structure_id", "effective_on": "starts_on", "ends_on": "ends_on"},
}
# The columns of a peer worker's legal basis, which the command takes as one field.
_LEGAL_BASIS = ("legal_basis", "consent_given_on", "consent_given_how")
_BASES = (
    "write consentement (with the day and how it was given), protection sociale, soins or statistique"
)
_COMMANDS = {Kind.STRUCTURE: RegisterStructure, Kind.PEER_WORKER: RegisterPeerWorker, Kind.EMPLOYMENT: RecordEmployment}
_FRENCH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse(line: Line, columns: dict[int, Column], headers: list[str]) -> Row | Refused:
    values = {columns[i].key: cell for i, cell in enumerate(line.cells) if i in columns and cell}
    header = {column.key: headers[i] for i, column in columns.items()}

    def problem(key: str | None, message: str) -> Problem:
        return Problem(line.number, header.get(key, BY_KEY[key].french) if key else None, message)

    kind = KIND_WORDS.get(plain(values.get("kind", "")))
    if kind is None:
        words = "structure, travailleur pair (peer worker) or emploi (employment)"
        return Refused(
            line.number,
            None,
            None,
            [problem("kind", f"{values.get('kind', '')!r} is not a kind of row: write {words}")],
        )
    problems = [
        problem(key, f"a row of kind {kind.value} takes no {BY_KEY[key].english}: leave the cell empty")
        for key in values
        if kind not in BY_KEY[key].kinds
    ]
    reference = values.get("reference")
    if kind is Kind.EMPLOYMENT:
        for key in ("peer_worker", "structure"):
            if key not in values:
                problems.append(problem(key, f"missing: the reference of the employment's {BY_KEY[key].english}"))
    elif reference is None:
        problems.append(
            problem(
                "reference",
                "missing: each structure and peer worker needs a reference of its own, "
                "which a later import of the same row finds it by",
            )
        )
    if "effective_on" not in values:
        # The API takes today for a date left out; an import that did so would find its rows
        # changed when run again on another day.
        problems.append(problem("effective_on", "missing: the day the record took effect (YYYY-MM-DD or DD/MM/YYYY)"))
    body = {field: _value(key, values[key]) for key, field in _FIELDS[kind].items() if key in values}
    if kind is Kind.PEER_WORKER and "legal_basis" not in values:
        problems.append(problem("legal_basis", f"missing: the basis of GDPR art. 9(2) the record is held on: {_BASES}"))
    elif kind is Kind.PEER_WORKER:
        body["legal_basis"] = {
            "basis" if key == "legal_basis" else key: _value(key, values[key]) for key in _LEGAL_BASIS if key in values
        }
    if kind is Kind.EMPLOYMENT and "structure" in values:
        body["structure_id"] = record_id(Kind.STRUCTURE, values["structure"])
    if body.get("despite_same_name") is None:
        body.pop("despite_same_name", None)
        if kind is Kind.STRUCTURE and "despite_same_name" in values:
            problems.append(problem("despite_same_name", "write oui (yes) or non (no)"))
    try:
        command = _COMMANDS[kind].model_validate(body)
    except ValidationError as error:
        by_field = {field: key for key, field in _FIELDS[kind].items()}
        reported = {p.column for p in problems}
        for e in error.errors():
            if e["loc"][:1] == ("legal_basis",) and "legal_basis" not in values:
                continue  # reported missing above
            found = problem(_column_of(e["loc"], by_field), _wording(e))
            if e["type"] == "missing" and found.column in reported:
                continue  # an employment's structure, said missing above in words of its own
            problems.append(found)
    if problems:
        return Refused(line.number, kind, reference, problems)
    if kind is Kind.EMPLOYMENT:
        key = reference or f"{values['peer_worker']}/{values['structure']}/{command.starts_on.isoformat()}"
        return Row(line.number, kind, key, command, values["peer_worker"], values["structure"])
    return Row(line.number, kind, reference, command)


def _column_of(loc: tuple, by_field: dict[str, str]) -> str | None:
    """The column a field's error is about: a legal basis's part names its own column."""
    if not loc:
        return None
    if loc[0] == "legal_basis":
        part = next((str(step) for step in reversed(loc) if str(step) in ("consent_given_on", "consent_given_how")), None)
        return part or "legal_basis"
    return by_field.get(str(loc[0]))


def _value(key: str, text: str) -> object:
    if key == "legal_basis":
        return BASIS_WORDS.get(plain(text), plain(text).replace(" ", "_"))
    if key == "consent_given_how":
        return CONSENT_WORDS.get(plain(text), plain(text).replace(" ", "_"))
    if key in ("effective_on", "ends_on", "consent_given_on") and (day := _FRENCH_DAY.fullmatch(text)):
        return f"{day[3]}-{int(day[2]):02d}-{int(day[1]):02d}"
    if key == "domains":
        return [plain(word).replace(" ", "_") for word in re.split(r"[,;|/]", text) if word.strip()]
    if key == "sector":
        return plain(text).replace(" ", "_")
    if key == "departement" and text.isdigit() and len(text) == 1:
        return text.zfill(2)  # a spreadsheet that took "01" for a number
    if key == "despite_same_name":
        word = plain(text)
        return True if word in YES else False if word in NO else None
    return text


def _wording(error: dict) -> str:
    """pydantic's message, as a person filling in a spreadsheet reads it."""
    if error["type"] == "union_tag_invalid":
        return f"{error['input'].get('basis')!r} is not a legal basis: {_BASES}"
    if error["type"] == "extra_forbidden" and error["loc"][:1] == ("legal_basis",):
        return "this legal basis is not a consent: leave the cell empty"
    if error["type"] == "missing":
        return "missing: fill in the cell"
    message = str(error["msg"]).removeprefix("Value error, ")
    if message == "expected a day as YYYY-MM-DD":
        return f"{error['input']!r}: expected a day as YYYY-MM-DD or DD/MM/YYYY"
    if error["type"] == "enum":
        message = f"{error['input']!r}: {message[0].lower()}{message[1:]}"
    return message
