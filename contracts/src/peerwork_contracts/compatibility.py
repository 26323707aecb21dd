"""The compatibility gate: what a change to the models does to the released contracts.

The JSON Schema of every released subject is committed in ``contracts/schemas/`` (the
baselines). Against them a change is compatible when every message published so far still
parses, and every message published from now on parses with the released models: a new
event, a new optional field, a new value of a closed list. Anything else (a field removed or
renamed, a type, nullability or constraint changed, a field made required or optional, a
value removed, a subject no longer published) breaks them: it goes to a new subject version
(``.v2``), published beside the old one, whose baseline stays as it is (see "Evolution
policy" in the README).

``python -m peerwork_contracts.compatibility`` (from a clone) writes the baselines of the
current models, and refuses to while a change breaks one. No baseline is ever removed: a
retired subject is no longer published, but the stream keeps its messages, which stay
readable with these models.
"""

import json
import sys
from pathlib import Path
from typing import Any

from . import catalogue

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


def breaking_changes(baselines: dict[str, Schema], schemas: dict[str, Schema]) -> list[str]:
    """What in ``schemas`` breaks ``baselines``, each as ``subject: where: what``."""
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
