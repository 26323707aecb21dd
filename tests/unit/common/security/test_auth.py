"""Token verification with an identity provider's keys: a public key (PEM) or a JWKS URL,
and the roles claim where the provider puts it."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from peerwork_common.security import auth
from peerwork_common.security.auth import InvalidTokenError, Verifier

PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = PRIVATE.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
).decode()


def provider_token(claims: dict | None = None, kid: str = "k1") -> str:
    now = int(time.time())
    base = {"sub": "alice", "iss": "https://idp.example", "aud": "peerwork", "iat": now, "exp": now + 60}
    return jwt.encode({**base, **(claims or {})}, PRIVATE, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def jwks_url() -> Iterator[str]:
    key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(PRIVATE.public_key()))
    body = json.dumps({"keys": [{**key, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jwks"
    server.shutdown()


def test_a_public_key_verifies_the_providers_tokens():
    verifier = Verifier(public_key=PUBLIC_PEM, issuer="https://idp.example")
    identity = verifier.identify(provider_token({"roles": ["staff"]}))
    assert (identity.subject, identity.roles) == ("alice", frozenset({"staff"}))


def test_a_jwks_url_gives_the_keys_and_a_nested_roles_claim_is_read(jwks_url):
    verifier = Verifier(jwks_url=jwks_url, issuer="https://idp.example", roles_claim="realm_access.roles")
    identity = verifier.identify(provider_token({"realm_access": {"roles": ["analyst", "offline_access"]}}))
    assert identity.may("analyst") and not identity.may("staff")


def test_an_unknown_key_id_is_refused(jwks_url):
    verifier = Verifier(jwks_url=jwks_url, issuer="https://idp.example")
    with pytest.raises(InvalidTokenError, match="not among the identity provider's"):
        verifier.identify(provider_token(kid="another"))


def test_an_unsigned_token_is_refused():
    verifier = Verifier(public_key=PUBLIC_PEM, issuer="https://idp.example")
    claims = {"sub": "mallory", "iss": "https://idp.example", "aud": "peerwork",
              "exp": int(time.time()) + 60, "roles": ["admin"]}
    with pytest.raises(InvalidTokenError, match="not a valid JWT"):
        verifier.identify(jwt.encode(claims, None, algorithm="none"))


def test_without_a_key_every_token_is_refused_with_what_the_operator_must_set():
    with pytest.raises(InvalidTokenError, match="no key to verify tokens with"):
        Verifier().identify(provider_token())


def test_a_territory_is_read_from_the_departements_and_regions_claims():
    verifier = Verifier(public_key=PUBLIC_PEM, issuer="https://idp.example")
    national = verifier.identify(provider_token({"roles": ["staff"]}))
    assert national.territory is None and national.covers("971")
    isere_and_corsica = verifier.identify(provider_token({"roles": ["staff"], "departements": "38 2A"}))
    assert isere_and_corsica.territory == {"38", "2A"}
    assert isere_and_corsica.covers("2A") and not isere_and_corsica.covers("69")
    auvergne_rhone_alpes = verifier.identify(provider_token({"roles": ["staff"], "regions": ["84"], "departements": ["75"]}))
    assert {"38", "69", "75"} <= auvergne_rhone_alpes.territory and not auvergne_rhone_alpes.covers("13")
    admin = verifier.identify(provider_token({"roles": ["admin"], "departements": ["38"]}))
    assert admin.covers("13")  # admins see everyone


@pytest.mark.parametrize(("claims", "reason"), [
    ({"departements": ["20"]}, "Corsica is 2A or 2B"),
    ({"regions": ["99"]}, "not a région code"),
    ({"departements": 38}, "must be a list of INSEE codes"),
])
def test_a_territory_that_cannot_be_read_is_refused(claims, reason):
    verifier = Verifier(public_key=PUBLIC_PEM, issuer="https://idp.example")
    with pytest.raises(InvalidTokenError, match=reason):
        verifier.identify(provider_token({"roles": ["staff"], **claims}))


def test_a_token_verified_once_is_refused_once_it_has_expired(monkeypatch):
    verifier = Verifier(public_key=PUBLIC_PEM, issuer="https://idp.example")
    token = provider_token()
    assert verifier.identify(token).subject == "alice"
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    monkeypatch.setattr(auth, "_now", lambda: expires)  # the verified token is kept: not decoded again
    with pytest.raises(InvalidTokenError, match="the token has expired"):
        verifier.identify(token)


def test_a_token_verified_once_is_verified_again_once_the_keys_may_have_changed(monkeypatch):
    verifier = Verifier(public_key=PUBLIC_PEM, issuer="https://idp.example")
    token = provider_token()
    now = time.time()
    monkeypatch.setattr(auth, "_now", lambda: now)
    assert verifier.identify(token).subject == "alice"
    verifier._key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()  # withdrawn
    assert verifier.identify(token).subject == "alice"  # kept within the period
    monkeypatch.setattr(auth, "_now", lambda: now + auth.KEYS_KEPT_SECONDS)
    with pytest.raises(InvalidTokenError, match="signature does not verify"):
        verifier.identify(token)
