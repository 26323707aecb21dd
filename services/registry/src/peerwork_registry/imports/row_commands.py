"""A row's cells as the API command its kind stands for, checked by the API's own schemas
(and so by the domain's value checks); what is missing or wrong, in words of the file's."""

from pydantic import BaseModel, ValidationError

from ..entrypoints.schemas import RecordEmployment, RegisterPeerWorker, RegisterStructure
from .cells import Cells, Problem, value
from .layout import BY_KEY, Kind

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


def missing(cells: Cells, kind: Kind) -> list[Problem]:
    """The cells filled that the row's kind takes none of, and those it needs left empty."""
    values, problem = cells.values, cells.problem
    problems = [
        problem(key, f"a row of kind {kind.value} takes no {BY_KEY[key].english}: leave the cell empty")
        for key in values
        if kind not in BY_KEY[key].kinds
    ]
    if kind is Kind.EMPLOYMENT:
        for key in ("peer_worker", "structure"):
            if key not in values:
                problems.append(problem(key, f"missing: the reference of the employment's {BY_KEY[key].english}"))
    elif "reference" not in values:
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
    if kind is Kind.PEER_WORKER and "legal_basis" not in values:
        problems.append(problem("legal_basis", f"missing: the basis of GDPR art. 9(2) the record is held on: {_BASES}"))
    return problems


def body(cells: Cells, kind: Kind, problems: list[Problem]) -> dict[str, object]:
    """The command's fields the cells fill; a structure's unreadable "despite the same name"
    is added to ``problems`` (the schema would take it for left out)."""
    values = cells.values
    fields = {field: value(key, values[key]) for key, field in _FIELDS[kind].items() if key in values}
    if kind is Kind.PEER_WORKER and "legal_basis" in values:
        fields["legal_basis"] = {
            "basis" if key == "legal_basis" else key: value(key, values[key]) for key in _LEGAL_BASIS if key in values
        }
    if fields.get("despite_same_name") is None:
        fields.pop("despite_same_name", None)
        if kind is Kind.STRUCTURE and "despite_same_name" in values:
            problems.append(cells.problem("despite_same_name", "write oui (yes) or non (no)"))
    return fields


def validated(cells: Cells, kind: Kind, fields: dict[str, object], problems: list[Problem]) -> BaseModel | None:
    """The command, or None with what its schema refused added to ``problems``, each in the
    column it is about, but for what ``problems`` already says is missing."""
    try:
        return _COMMANDS[kind].model_validate(fields)
    except ValidationError as error:
        by_field = {field: key for key, field in _FIELDS[kind].items()}
        reported = {p.column for p in problems}
        for e in error.errors():
            if e["loc"][:1] == ("legal_basis",) and "legal_basis" not in cells.values:
                continue  # reported missing above
            found = cells.problem(_column_of(e["loc"], by_field), _wording(e))
            if e["type"] == "missing" and found.column in reported:
                continue  # an employment's structure, said missing above in words of its own
            problems.append(found)
        return None


def _column_of(loc: tuple, by_field: dict[str, str]) -> str | None:
    """The column a field's error is about: a legal basis's part names its own column."""
    if not loc:
        return None
    if loc[0] == "legal_basis":
        part = next((str(step) for step in reversed(loc) if str(step) in ("consent_given_on", "consent_given_how")), None)
        return part or "legal_basis"
    return by_field.get(str(loc[0]))


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
