"""Signed tokens whose claims are of the wrong type, on every service through real HTTP:
refused with a 401 that names the claim. A ``roles`` that was a number got a 500 (on the
public figures too), one that was an object had its keys taken for roles, a ``sub`` with a
lone surrogate broke every answer that named it, and an ``exp`` written as text passed."""

import time
from uuid import uuid4

import httpx
import jwt
import pytest

from tests.helpers import AUTH_SECRET

SOME_ID = uuid4()


def signed(**claims: object) -> dict[str, str]:
    """A bearer token signed with the services' secret, holding exactly ``claims`` (and the
    issuer and audience they expect)."""
    claims = {"iss": "peerwork", "aud": "peerwork", "sub": "tester", "exp": int(time.time()) + 600, **claims}
    return {"Authorization": f"Bearer {jwt.encode(claims, AUTH_SECRET, algorithm='HS256')}"}


# A route of each service that reads the token: the public figures read it too (exact=true).
TOKEN_ROUTES = {
    "registry": f"/peer-workers/{SOME_ID}",
    "accompaniment": f"/accompaniments/{SOME_ID}",
    "reporting": "/stats/national",
}


@pytest.mark.parametrize("service", TOKEN_ROUTES)
@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"roles": 5}, "'roles' claim must be a list of role names"),
        ({"roles": True}, "'roles' claim must be a list of role names"),
        ({"roles": {"admin": True, "staff": True}}, "'roles' claim must be a list of role names"),
        ({"roles": ["staff", 1]}, "'roles' claim must be a list of role names"),
        ({"roles": ["staff"], "sub": "\ud800"}, "'sub' claim holds a lone surrogate"),
        ({"roles": ["\udfff"]}, "'roles' claim holds a lone surrogate"),
        ({"roles": ["staff"], "sub": " "}, "'sub' claim must name who it is for"),
        # Far ahead: the parameters are made at collection, maybe many minutes before the test.
        ({"roles": ["staff"], "exp": str(int(time.time()) + 10 * 365 * 86400)}, "'exp' claim must be a number"),
        ({"roles": ["staff"], "iat": str(int(time.time()))}, "'iat' claim must be a number"),
    ],
    ids=["roles number", "roles boolean", "roles object", "roles not all text", "sub surrogate",
         "role surrogate", "sub blank", "exp text", "iat text"],
)
def test_a_signed_token_with_claims_of_the_wrong_type_is_refused_with_a_401(served_services, service, claims, says):
    _, url = served_services[service]
    response = httpx.get(url + TOKEN_ROUTES[service], headers=signed(**claims))
    assert response.status_code == 401, response.text
    assert says in response.json()["detail"]
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
