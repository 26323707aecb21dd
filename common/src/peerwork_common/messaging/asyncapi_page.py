"""The AsyncAPI document as a page a person reads, rendered here from the document itself:
no script and nothing fetched from elsewhere, so it reads offline and says only what the
document says."""

from html import escape
from typing import Any

_STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
code{background:#f3f3f3;padding:0 .2em}section{border-top:1px solid #ddd;margin-top:1.5em}"""


def render(document: dict) -> str:
    """The page of ``document``: servers, consumers, then each channel with its payload's fields."""
    info, schemas = document["info"], document["components"]["schemas"]
    parts = [
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(info['title'])}</title>"
        f"<style>{_STYLE}</style><h1>{escape(info['title'])} {escape(info['version'])}</h1>"
        f"<p>{escape(info['description'])}</p><h2>Servers</h2>",
        _table(("server", "host", "how"), [
            (name, server["host"], server["description"]) for name, server in sorted(document["servers"].items())
        ]),
        "<h2>Durable consumers</h2>",
        _table(("durable name", "subjects", "what for"), [
            (operation["x-durable-name"], _channel(document, operation)["address"], operation["description"])
            for operation in _sorted_values(document["operations"]) if "x-durable-name" in operation
        ]),
        "<h2>Headers of every event message</h2>",
        _fields(_any_event_message(document)["headers"], schemas),
        "<h2>Channels</h2>",
    ]
    for key, channel in sorted(document["channels"].items()):
        parts.append(f"<section id='{escape(key, quote=True)}'><h3><code>{escape(channel['address'])}</code></h3>"
                     f"<p>{escape(channel.get('description', ''))}</p>")
        for message in channel["messages"].values():
            if key != channel["address"]:  # the dead letters: their headers say it all
                parts.append(_fields(_resolve(document, message)["headers"], schemas))
            elif "*" in key or ">" in key:  # a consumer's wildcard: its subjects, each below
                parts.append(f"<p><a href='#{escape(message['$ref'].split('/')[2], quote=True)}'>"
                             f"{escape(_resolve(document, message)['title'].removesuffix(':Message'))}</a></p>")
            else:
                parts.append(_fields(_resolve(document, _resolve(document, message)["payload"]), schemas))
        parts.append("</section>")
    return "".join(parts) + "</html>\n"


def _channel(document: dict, operation: dict) -> dict:
    return _resolve(document, operation["channel"])


def _any_event_message(document: dict) -> dict:
    return next(m for name, m in sorted(document["components"]["messages"].items()) if name.endswith(":Message"))


def _sorted_values(mapping: dict) -> list:
    return [value for _, value in sorted(mapping.items())]


def _fields(schema: dict, schemas: dict) -> str:
    """A table of the schema's fields, a nested model's fields under its own name."""
    rows = []
    for name, field in sorted(schema.get("properties", {}).items()):
        field = _resolved_schema(field, schemas)
        rows.append((name, _type(field), field.get("description", "")))
        if field.get("type") == "object" and "properties" in field:
            rows.extend((f"{name}.{sub}", kind, text) for sub, kind, text in _rows(field, schemas))
    return _table(("field", "type", "meaning"), rows)


def _rows(schema: dict, schemas: dict) -> list[tuple[str, str, str]]:
    return [
        (name, _type(field := _resolved_schema(raw, schemas)), field.get("description", ""))
        for name, raw in sorted(schema["properties"].items())
    ]


def _type(field: dict) -> str:
    if "const" in field:
        return f"= {field['const']!r}"
    if "enum" in field:
        return " | ".join(map(str, field["enum"]))
    if "anyOf" in field:
        return " or ".join(_type(option) for option in field["anyOf"])
    if field.get("type") == "array":
        return f"list of {_type(field.get('items', {}))}"
    return field.get("format") or field.get("type") or field.get("title", "any")


def _resolved_schema(field: dict, schemas: dict) -> dict:
    if "$ref" in field:
        return {**schemas[field["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in field.items() if k != "$ref"}}
    if "anyOf" in field:
        return {**field, "anyOf": [_resolved_schema(option, schemas) for option in field["anyOf"]]}
    return field


def _resolve(document: dict, node: dict) -> Any:
    """``node``, or what its ``$ref`` (a JSON pointer into ``document``) points at."""
    while "$ref" in node:
        target: Any = document
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _table(head: tuple[str, ...], rows: list[tuple]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{cells}</tr>{body}</table>"
