"""Request bodies no route can take, on every service through real HTTP (each built by its
composition root, on real SQLite): refused with a 4xx that says what is wrong and where, and
nothing stored. A lone surrogate, or a number JSON cannot carry, got a 500: from the store, or
from the 422 that echoed it back."""

from uuid import uuid4

import httpx
import pytest

from tests.helpers import bearer

STAFF = {**bearer("staff"), "content-type": "application/json"}
SOME_ID = uuid4()

# A valid body for each command, as JSON text, with {text} or {number} where a test puts the
# value it tries, as a JSON literal.
COMMANDS = {
    "display name": ("registry", "/peer-workers",
                     '{{"legal_basis": {{"basis": "health_or_social_care"}}, "display_name": {text}, "departement": "38", "domains": ["addiction"]}}'),
    "structure name": ("registry", "/structures",
                       '{{"name": {text}, "departement": "38", "sector": "shelter_housing"}}'),
    "session title": ("accompaniment", "/training-sessions",
                      '{{"title": {text}, "kind": "awareness_for_professionals", "audience": "professionals", '
                      '"departement": "38", "starts_on": "2024-03-01", "duration_hours": 7, "capacity": 12}}'),
    "request": ("accompaniment", "/accompaniments",
                f'{{{{"structure_id": "{SOME_ID}", "departement": "38", "channel": "structure", '
                '"request": {text}}}'),
    "note": ("accompaniment", f"/accompaniments/{SOME_ID}/milestones",
             '{{"milestone": "team_awareness", "note": {text}}}'),
    "network name": ("accompaniment", "/peer-networks", '{{"name": {text}, "scope": "national"}}'),
}
FIELDS = {"display name": "display_name", "structure name": "name", "session title": "title",
          "request": "request", "note": "note",
          "network name": "name"}
NAMED = {"display name": "display name", "structure name": "structure's name", "session title": "title",
         "network name": "name"}
NUMBERS = {
    "registered on": ("registry", "/peer-workers", "registered_on",
                      '{{"legal_basis": {{"basis": "health_or_social_care"}}, "display_name": "Anne", "departement": "38", "domains": ["addiction"], '
                      '"registered_on": {number}}}'),
    "duration": ("accompaniment", "/training-sessions", "duration_hours",
                 '{{"title": "T", "kind": "awareness_for_professionals", "audience": "professionals", "departement": "38", '
                 '"starts_on": "2024-03-01", "duration_hours": {number}, "capacity": 12}}'),
    "capacity": ("accompaniment", "/training-sessions", "capacity",
                 '{{"title": "T", "kind": "awareness_for_professionals", "audience": "professionals", "departement": "38", '
                 '"starts_on": "2024-03-01", "duration_hours": 7, "capacity": {number}}}'),
    "meeting hours": ("accompaniment", f"/peer-networks/{SOME_ID}/meetings", "hours",
                      '{{"kind": "other", "hours": {number}, "other_participants": 1}}'),
}


def stored(app) -> int:  # noqa: ANN001
    application = getattr(app.state, "registry", None) or app.state.accompaniments
    return application.recorder.max_notification_id() or 0


def post(services, service: str, path: str, body: bytes, headers=STAFF) -> httpx.Response:  # noqa: ANN001
    app, url = services[service]
    before = stored(app)
    response = httpx.post(url + path, content=body, headers=headers)
    assert stored(app) == before, "a refused command stored something"
    return response


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("text", [r'"\ud800"', r'"Anne \udfff"', r'"\udc00\ud800"'])
def test_a_lone_surrogate_in_any_text_is_refused_naming_its_field(served_services, command, text):
    service, path, template = COMMANDS[command]
    response = post(served_services, service, path, template.format(text=text).encode())
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", FIELDS[command]]
    assert "lone surrogate" in error["msg"]


def test_a_lone_surrogate_in_a_field_name_is_refused_and_named_escaped(served_services):
    response = post(served_services, "registry", "/structures", rb'{"name": "R", "\ud800": 1}')
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "\\ud800"]


@pytest.mark.parametrize("command", NAMED)
@pytest.mark.parametrize(
    ("name", "says"),
    [
        (r'"\u200b\u200b"', "must not be blank: it must show at least one visible character"),  # zero-width spaces
        (r'"\u2060\u00ad\ufeff"', "must not be blank: it must show at least one visible character"),
        (r'"\u3164"', "must not be blank: it must show at least one visible character"),  # Hangul filler
        (r'"\u0301"', "must not be blank: it must show at least one visible character"),  # a lone combining accent
        (r'"Anne\u0000"', "must not hold control characters (U+0000 here)"),
        (r'"Anne\u0007"', "must not hold control characters (U+0007 here)"),
        (r'"Anne\u007f"', "must not hold control characters (U+007F here)"),
        (r'"\u202eenna"', "must not hold bidirectional controls (U+202E here)"),
        (r'"Anne \u2066x\u2069"', "must not hold bidirectional controls (U+2066 here)"),
        (r'"Anne\u200f"', "must not hold bidirectional controls (U+200F here)"),
    ],
)
def test_a_name_that_shows_nothing_or_hides_controls_is_refused(served_services, command, name, says):
    service, path, template = COMMANDS[command]
    response = post(served_services, service, path, template.format(text=name).encode())
    assert response.status_code == 422, response.text
    assert f"the {NAMED[command]} {says}" in response.json()["detail"]


@pytest.mark.parametrize("command", NAMED)
@pytest.mark.parametrize("name", ['"Zoé Nguyễn"', r'"\u0627\u0644\u0646\u0648\u0631"', r'"Ma\u00efa \ud83d\udc69\u200d\ud83d\udc67"'])
def test_names_in_any_script_are_taken(served_services, command, name):
    service, path, template = COMMANDS[command]
    response = httpx.post(served_services[service][1] + path, content=template.format(text=name).encode(), headers=STAFF)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("field", NUMBERS)
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999999", "-1e999999", "9" * 5000])
def test_a_number_json_cannot_carry_is_refused_naming_its_field(served_services, field, number):
    service, path, name, template = NUMBERS[field]
    response = post(served_services, service, path, template.format(number=number).encode())
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", name]
    assert "send a finite number" in error["msg"]


@pytest.mark.parametrize("service", ["registry", "accompaniment"])
@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"name": "' + "Zoé".encode("latin-1") + b'"}', "not UTF-8 (byte 0xe9 at position 12)"),
        (b'{"name": "\xed\xa0\x80"}', "not UTF-8"),  # a surrogate, encoded as UTF-8 cannot
        (b'{"name": ' + b"[" * 32 + b"]" * 32 + b"}", "deeper than 32 levels"),  # 33 with the body
        (b"[" * 30_000 + b"]" * 30_000, "deeper than 32 levels"),  # under the size limit
    ],
    ids=["latin-1", "encoded surrogate", "33 levels", "30000 levels"],
)
def test_a_body_not_utf8_or_nested_too_deep_is_refused_with_a_400_saying_which(served_services, service, body, says):
    path = "/structures" if service == "registry" else "/accompaniments"
    response = post(served_services, service, path, body)
    assert response.status_code == 400, response.text
    assert says in response.json()["detail"]


def test_a_body_not_utf8_is_refused_whatever_type_it_claims(served_services):
    headers = {**STAFF, "content-type": "text/plain"}
    response = post(served_services, "registry", "/structures", b"\xff\xfe", headers=headers)
    assert response.status_code == 400, response.text
    assert "not UTF-8" in response.json()["detail"]


def test_a_body_nested_to_the_limit_reaches_the_route(served_services):
    # 32 levels: the body's object, then 31 arrays.
    nested = '{"name": "R", "departement": "38", "sector": "shelter_housing", "x": ' + "[" * 31 + "]" * 31 + "}"
    response = post(served_services, "registry", "/structures", nested.encode())
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["type"] == "extra_forbidden"  # the route's own refusal
