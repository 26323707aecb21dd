"""Who is calling: OAuth2 bearer tokens (JWT) verified against the key the settings give,
and the roles they carry.

The key is a shared HS256 secret for a self-hosted setup (``python -m peerwork_common.security.tokens``
issues tokens), or the public key (PEM) or JWKS URL of the platform's identity provider.
Signature, expiry, issuer and audience are checked by PyJWT; nothing here is cryptography.
"""

import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jwt

from peerwork_common.security.claims import ClaimError, check_claims, roles_of
from peerwork_common.settings import ServiceSettings, variable
from peerwork_contracts import geography

log = logging.getLogger(__name__)

STAFF = "staff"  # records and reads registrations, accompaniments, trainings
ANALYST = "analyst"  # exact statistics, no personal data
ADMIN = "admin"  # everything staff and analysts may, and operations
ROLES = (STAFF, ANALYST, ADMIN)

# Asymmetric only with a public key: an HS256 token "signed" with the public key itself
# must not pass (algorithm confusion).
_PUBLIC_KEY_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]
_REQUIRED_CLAIMS = ["exp", "iss", "aud", "sub"]

# Tokens verified lately, each kept with its expiry: a client sends the same token with
# every request, and verifying it again (PyJWT: signature, claims) was 0.25-0.35 ms of each
# read, a twentieth of a région's exact figures. Only what verified is kept; a token past
# its expiry is refused as before, and every token is verified again after KEYS_KEPT_SECONDS,
# as long as the identity provider's keys are kept: a key it withdraws stops its tokens as
# soon as it did without the cache.
_VERIFIED = 1024
KEYS_KEPT_SECONDS = 300


def _now() -> float:
    return time.time()


class InvalidTokenError(Exception):
    """The token cannot be trusted; the message says why, for the person sending it."""


@dataclass(frozen=True)
class Identity:
    subject: str
    roles: frozenset[str]
    # The départements whose people the caller may see and record (claims ``departements``
    # and ``regions``); None: the whole country.
    territory: frozenset[str] | None = None

    def may(self, *roles: str) -> bool:
        """Holds one of ``roles``, admins holding every one."""
        return ADMIN in self.roles or not self.roles.isdisjoint(roles)

    def covers(self, departement: str) -> bool:
        """The caller's territory holds ``departement`` (an admin's holds every one)."""
        return self.territory is None or ADMIN in self.roles or departement in self.territory

    @property
    def reach(self) -> frozenset[str] | None:
        """The départements whose records the caller may see; None: every one (what
        ``covers`` takes, for the lists that filter by it)."""
        return None if ADMIN in self.roles else self.territory


class Verifier:
    """Checks a bearer token and says whose it is."""

    def __init__(
        self,
        *,
        secret: str | None = None,
        public_key: str | None = None,
        jwks_url: str | None = None,
        issuer: str = "peerwork",
        audience: str = "peerwork",
        roles_claim: str = "roles",
        missing_key: str = "this service has no key to verify tokens with",
    ) -> None:
        self.issuer, self.audience, self._missing_key = issuer, audience, missing_key
        self._roles_path = roles_claim.split(".")  # e.g. realm_access.roles (Keycloak)
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=KEYS_KEPT_SECONDS) if jwks_url else None
        self._key: Any = public_key or secret
        self._algorithms = ["HS256"] if secret and not (public_key or jwks_url) else _PUBLIC_KEY_ALGORITHMS
        self._verified = lru_cache(maxsize=_VERIFIED)(self._verify)

    @classmethod
    def of(cls, settings: ServiceSettings) -> "Verifier":
        secret = settings.auth_jwt_secret.get_secret_value() if settings.auth_jwt_secret else None
        return cls(
            secret=secret,
            public_key=settings.auth_public_key,
            jwks_url=settings.auth_jwks_url,
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
            roles_claim=settings.auth_roles_claim,
            missing_key=(
                "this service has no key to verify tokens with: its operator must set "
                f"{variable(settings, 'auth_jwt_secret')}, {variable(settings, 'auth_public_key')} "
                f"or {variable(settings, 'auth_jwks_url')}"
            ),
        )

    def identify(self, token: str) -> Identity:
        """The identity ``token`` vouches for, or ``InvalidTokenError`` saying why not."""
        # The period is part of the key: a kept verification lasts until the next period.
        identity, expires = self._verified(token, int(_now() // KEYS_KEPT_SECONDS))
        if expires <= _now():  # as PyJWT decides, without leeway
            raise InvalidTokenError("the token has expired: ask for a new one")
        return identity

    def _verify(self, token: str, period: int) -> tuple[Identity, float]:
        try:
            claims = jwt.decode(
                token,
                self._signing_key(token),
                algorithms=self._algorithms,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": _REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidTokenError("the token has expired: ask for a new one") from None
        except jwt.InvalidAudienceError:
            raise InvalidTokenError(f"the token is not meant for this platform (audience {self.audience!r})") from None
        except jwt.InvalidIssuerError:
            raise InvalidTokenError(f"the token was not issued by {self.issuer!r}") from None
        except jwt.MissingRequiredClaimError as error:
            raise InvalidTokenError(f"the token has no {error.claim!r} claim") from None
        except jwt.InvalidSignatureError:
            raise InvalidTokenError("the token's signature does not verify: it was not issued for this platform") from None
        except jwt.InvalidTokenError as error:
            raise InvalidTokenError(f"the token is not a valid JWT: {error}") from None
        try:
            check_claims(claims)
            roles = roles_of(claims, self._roles_path)
        except ClaimError as error:
            raise InvalidTokenError(str(error)) from None
        return Identity(claims["sub"], roles, _territory(claims)), claims["exp"]

    def _signing_key(self, token: str) -> Any:
        if self._jwks is not None:
            try:
                return self._jwks.get_signing_key_from_jwt(token).key
            except jwt.PyJWKClientConnectionError as error:
                log.warning("cannot fetch the identity provider's keys: %s", error)
                raise InvalidTokenError("the identity provider's keys cannot be fetched: try again later") from None
            except jwt.PyJWKClientError as error:
                raise InvalidTokenError(f"the token's key is not among the identity provider's: {error}") from None
            except jwt.InvalidTokenError as error:
                raise InvalidTokenError(f"the token is not a valid JWT: {error}") from None
        if not self._key:
            raise InvalidTokenError(self._missing_key)
        return self._key


def _territory(claims: dict[str, Any]) -> frozenset[str] | None:
    """The départements the ``departements`` and ``regions`` claims name; None without either."""
    if "departements" not in claims and "regions" not in claims:
        return None
    try:
        departements = {geography.departement(code).code for code in _codes(claims, "departements")}
        for code in _codes(claims, "regions"):
            departements.update(geography.region(code).departement_codes)
    except ValueError as error:
        raise InvalidTokenError(f"the token's territory cannot be read: {error}") from None
    return frozenset(departements)


def _codes(claims: dict[str, Any], claim: str) -> list[str]:
    value = claims.get(claim, [])
    if isinstance(value, str):  # as roles may be, space-separated
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValueError(f"the {claim!r} claim must be a list of INSEE codes")
    return value
