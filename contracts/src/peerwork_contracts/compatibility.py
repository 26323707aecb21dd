"""The compatibility gate: what a change to the models does to the released contracts.

The JSON Schema of every released subject is committed in ``contracts/schemas/`` (the
baselines). Against them a change is compatible when every message published so far still
parses, and every message published from now on parses with the released models: a new
event, a new optional field, a new value of a closed list. Anything else (a field removed or
renamed, a type, nullability or constraint changed, a field made required or optional, a
value removed, a subject no longer in the catalogue) breaks them: it goes to a new subject
version (``.v2``), whose baseline stays as it is, and the old one is published beside it,
derived from it, for at least 12 months (``side_by_side.SIDE_BY_SIDE``; see "Evolution
policy" in the README). So a released subject that a newer version replaces breaks them too
unless it is declared there, with a retirement date at least 12 months after the newer
version's release.

``python -m peerwork_contracts.compatibility`` (from a clone) writes the baselines of the
current models, and refuses to while a change breaks one. No baseline is ever removed: a
retired subject is no longer published, but the stream keeps its messages, which stay
readable with these models.
"""

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from . import catalogue, subjects
from .side_by_side import MINIMUM_MONTHS, SIDE_BY_SIDE, OlderVersion, newer_subjects

BASELINES = Path(__file__).resolve().parents[2] / "schemas"
# What a message must be, beyond its shape; a change to any of them is a change of type.
_SAME = ("type", "format", "const", "pattern", "minLength", "maxLength", "minItems", "maxItems",
         "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")

Schema = dict[str, Any]


def current() -> dict[str, Schema]:
    """The JSON Schema of every event of these models, by subject."""
    return {event.subject(): event.model_json_schema() for event in catalogue.EVENTS}


def released(directory: Path = BASELINES) -> dict[str, Schema]:
    """The committed baselines, by subject."""
    return {
        path.name.removesuffix(".json"): json.loads(path.read_text())
        for path in sorted(directory.glob("*.json"))
    }


def breaking_changes(
    baselines: dict[str, Schema], schemas: dict[str, Schema], side_by_side: dict[str, OlderVersion] | None = None
) -> list[str]:
    """What in ``schemas`` (with the versions published ``side_by_side``, by default the
    contracts' own) breaks ``baselines``, each as ``subject: where: what``."""
    side_by_side = SIDE_BY_SIDE if side_by_side is None else side_by_side
    problems = _changed(baselines, schemas) + _not_beside(baselines, schemas, side_by_side)
    return problems + _wrongly_declared(schemas, side_by_side)


def _changed(baselines: dict[str, Schema], schemas: dict[str, Schema]) -> list[str]:
    problems = []
    for subject, baseline in baselines.items():
        if subject not in schemas:
            problems.append(
                f"{subject}: no longer in the catalogue (the stream keeps its messages: they stay readable)"
            )
            continue
        changes = _Comparison(baseline, schemas[subject]).changes()
        problems += [f"{subject}: {change}" for change in changes]
    return problems


def _not_beside(
    baselines: dict[str, Schema], schemas: dict[str, Schema], side_by_side: dict[str, OlderVersion]
) -> list[str]:
    """A released subject a newer version replaces that is not published beside it."""
    newest: dict[str, tuple[int, str]] = {}
    for subject in schemas:
        unversioned, version = subjects.version_of(subject)
        newest[unversioned] = max(newest.get(unversioned, (0, "")), (version, subject))
    problems = []
    for subject in baselines:
        _, latest = newest.get(subjects.version_of(subject)[0], (0, subject))
        if latest != subject and latest not in newer_subjects(subject, side_by_side):
            problems.append(
                f"{subject}: replaced by {latest}, but no longer published beside it (declare it in "
                f"side_by_side.SIDE_BY_SIDE, to retire at least {MINIMUM_MONTHS} months after {latest}'s release)"
            )
    return problems


def _wrongly_declared(schemas: dict[str, Schema], side_by_side: dict[str, OlderVersion]) -> list[str]:
    problems = []
    for newer, older in side_by_side.items():
        subject = older.event.subject()
        (unversioned, version), (older_unversioned, older_version) = map(subjects.version_of, (newer, subject))
        if newer not in schemas:
            problems.append(f"{newer}: declared in SIDE_BY_SIDE, but not in the catalogue")
        if subject not in schemas or older_unversioned != unversioned or older_version >= version:
            problems.append(f"{newer}: {subject} is not an older version of it in the catalogue")
        if older.retires_on < _months_after(older.newer_released_on, MINIMUM_MONTHS):
            problems.append(
                f"{subject}: retires on {older.retires_on}, less than {MINIMUM_MONTHS} months after {newer}'s "
                f"release ({older.newer_released_on})"
            )
    return problems


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    while True:  # the 31st of a shorter month: its last day
        try:
            return day.replace(year=year, month=month)
        except ValueError:
            day = day.replace(day=day.day - 1)


class _Comparison:
    def __init__(self, old: Schema, new: Schema) -> None:
        self._old_defs, self._new_defs = old.get("$defs", {}), new.get("$defs", {})
        self._old, self._new = old, new

    def changes(self) -> list[str]:
        return list(self._compare(self._old, self._new, "event"))

    def _resolve(self, schema: Schema, defs: dict[str, Schema]) -> Schema:
        while "$ref" in schema:
            schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def _compare(self, old: Schema, new: Schema, where: str):
        old, new = self._resolve(old, self._old_defs), self._resolve(new, self._new_defs)
        if "anyOf" in old or "anyOf" in new:  # nullable (X or null), or a union
            old_choices, new_choices = old.get("anyOf", [old]), new.get("anyOf", [new])
            if len(old_choices) != len(new_choices):
                yield f"{where}: {len(old_choices)} possible types became {len(new_choices)}"
                return
            for index, (old_choice, new_choice) in enumerate(zip(old_choices, new_choices)):
                yield from self._compare(old_choice, new_choice, f"{where} (type {index + 1})")
            return
        for keyword in _SAME:
            if old.get(keyword) != new.get(keyword):
                yield f"{where}: {keyword} {old.get(keyword)!r} became {new.get(keyword)!r}"
        if "enum" in old or "enum" in new:
            if removed := [value for value in old.get("enum", []) if value not in new.get("enum", [])]:
                yield f"{where}: values {removed} removed"
            if "enum" not in old:
                yield f"{where}: became a closed list"
        if "items" in old and "items" in new:
            yield from self._compare(old["items"], new["items"], f"{where}[]")
        yield from self._compare_fields(old, new, where)

    def _compare_fields(self, old: Schema, new: Schema, where: str):
        old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        for name, schema in old_fields.items():
            if name not in new_fields:
                yield f"{where}.{name}: removed"
                continue
            if (name in old_required) != (name in new_required):
                yield f"{where}.{name}: became {'required' if name in new_required else 'optional'}"
            yield from self._compare(schema, new_fields[name], f"{where}.{name}")
        for name in new_fields.keys() - old_fields.keys():
            if name in new_required:
                yield f"{where}.{name}: a new field that is required (messages already published lack it)"


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else BASELINES
    schemas = current()
    if problems := breaking_changes(released(directory), schemas):
        sys.exit(
            "Not written: these changes break released contracts; publish a new version instead:\n  "
            + "\n  ".join(problems)
        )
    directory.mkdir(exist_ok=True)
    for subject, schema in schemas.items():
        text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True)
        (directory / f"{subject}.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
