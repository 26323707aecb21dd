"""``python -m peerwork_common.security.tokens --subject alice --role staff --hours 8``: issues a bearer
token for a self-hosted setup, signed with the services' shared HS256 secret.

The secret comes from the environment, never from the command line (which other users of
the machine can read): ``AUTH_JWT_SECRET``, or a service's own ``<SERVICE>_AUTH_JWT_SECRET``,
so that ``docker compose exec reporting python -m peerwork_common.security.tokens ...`` works as is.
Issuer and audience likewise (``AUTH_ISSUER``, ``<SERVICE>_AUTH_ISSUER``; default peerwork).
With an identity provider, it issues the tokens instead and this command is not used.
"""

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jwt

from peerwork_common.security.auth import ROLES
from peerwork_contracts import geography

_PREFIXES = ("", "REPORTING_", "REGISTRY_", "ACCOMPANIMENT_")


def from_environment(name: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """``AUTH_<name>``, else the first service's ``<SERVICE>_AUTH_<name>`` that is set."""
    for prefix in _PREFIXES:
        if value := environ.get(f"{prefix}AUTH_{name}"):
            return value
    return None


def issue(
    secret: str,
    subject: str,
    roles: Iterable[str],
    hours: float = 8,
    issuer: str = "peerwork",
    audience: str = "peerwork",
    departements: Iterable[str] = (),
    regions: Iterable[str] = (),
) -> str:
    """A token for ``subject`` holding ``roles``, valid ``hours`` from now; confined to
    ``departements`` and ``regions`` when given any."""
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": subject,
        "roles": sorted(set(roles)),
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + int(hours * 3600),
    }
    if departements or regions:
        claims.update(departements=sorted(set(departements)), regions=sorted(set(regions)))
    return jwt.encode(claims, secret, algorithm="HS256")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peerwork_common.security.tokens", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subject", required=True, help="who the token is for (e.g. a login)")
    parser.add_argument("--role", action="append", choices=ROLES, required=True,
                        help="a role the token carries; repeat for several")
    parser.add_argument("--hours", type=float, default=8, help="how long it is valid (default 8)")
    parser.add_argument("--departement", action="append", default=[], type=_code_of(geography.departement),
                        help="confine staff to this département's people (INSEE code); repeat for several")
    parser.add_argument("--region", action="append", default=[], type=_code_of(geography.region),
                        help="confine staff to this région's people (INSEE code, e.g. 84); repeat for several")
    arguments = parser.parse_args(argv)
    if arguments.hours <= 0:
        parser.error("--hours must be positive")
    secret = from_environment("JWT_SECRET")
    if not secret:
        print("set AUTH_JWT_SECRET (or a service's <SERVICE>_AUTH_JWT_SECRET) to the services' "
              "shared secret", file=sys.stderr)
        return 2
    print(issue(
        secret,
        arguments.subject,
        arguments.role,
        arguments.hours,
        issuer=from_environment("ISSUER") or "peerwork",
        audience=from_environment("AUDIENCE") or "peerwork",
        departements=arguments.departement,
        regions=arguments.region,
    ))
    return 0


def _code_of(lookup: Callable[[str], Any]) -> Callable[[str], str]:
    """An argument type: a code ``lookup`` (``geography.departement`` or ``region``) knows."""

    def checked(code: str) -> str:
        try:
            return lookup(code).code
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return checked


if __name__ == "__main__":
    sys.exit(main())
