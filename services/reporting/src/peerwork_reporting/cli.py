"""``python -m peerwork_reporting migrate``: applies the migrations its store in use and its
releases lack (as serving does at start), then exits.

``python -m peerwork_reporting rebuild``: asks the running reporting service to rebuild
its views, and follows it to the end. Reads the same ``REPORTING_*`` settings as the service.

Rebuilding is for admins: the command sends ``PEERWORK_TOKEN`` (an admin's token from the
identity provider) or, on a self-hosted setup, issues itself one from the shared secret."""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request

from peerwork_common.eventstore.schema_migrations import migrate_command
from peerwork_common.http.serve import serve
from peerwork_common.messaging import dead_letters
from peerwork_common.security.auth import ADMIN
from peerwork_common.security.tokens import issue
from peerwork_common.settings import load

from .bootstrap import bootstrap
from .config import Settings
from .storage.locations import configured, releases_location
from .storage.rebuild import REBUILD_SUFFIX
from .storage.releases import ReleaseStore
from .storage.store import StatisticsStore


def admin_token(settings: Settings) -> str | None:
    if token := os.environ.get("PEERWORK_TOKEN"):
        return token
    if settings.auth_jwt_secret is None:
        return None
    secret = settings.auth_jwt_secret.get_secret_value()
    return issue(secret, "rebuild command", [ADMIN], 1, settings.auth_issuer, settings.auth_audience)


def rebuild(settings: Settings, url: str, poll: float = 1.0) -> int:
    token = admin_token(settings)
    if token is None:
        print("set PEERWORK_TOKEN to an admin's token (or REPORTING_AUTH_JWT_SECRET): "
              "rebuilding is for admins", file=sys.stderr)
        return 2

    def call(method: str) -> dict:
        request = urllib.request.Request(
            f"{url}/operations/rebuild", method=method, headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    try:
        status = call("POST")
        print(f"rebuilding into {status['store']}")
        while status["state"] in ("catching up", "verifying"):
            time.sleep(poll)
            status = call("GET")
            print(
                f"  {status['state']}: rebuilt up to stream sequence {status['rebuilt_sequence']}, "
                f"live at {status['live_sequence']}"
            )
    except urllib.error.HTTPError as error:
        print(f"{url} refused: {error.code} {error.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        print(f"cannot reach the reporting service at {url}: {error.reason}", file=sys.stderr)
        return 1
    print(f"{status['state']}: {status['detail']}")
    return 0 if status["state"] == "switched" else 1


def main(argv: list[str] | None = None) -> int:
    settings = load(Settings)
    parser = argparse.ArgumentParser(prog="python -m peerwork_reporting")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the statistics and run the projection (the default)")
    commands.add_parser("migrate", help="apply the migrations its stores lack (serving does too), then exit")
    rebuilding = commands.add_parser(
        "rebuild", help="rebuild the running service's views from the stream, then switch over"
    )
    rebuilding.add_argument(
        "--url", default=f"http://{settings.host}:{settings.port}", help="the running service"
    )
    commands.add_parser(
        "dead-letters", add_help=False, help="list what the consumer parked, or replay it (see its --help)"
    )
    arguments, rest = parser.parse_known_args(argv)
    if arguments.command == "dead-letters":
        return dead_letters.main(
            rest, settings.nats_servers, settings.consumer_name, parser.prog,
            replays_for=[settings.consumer_name + REBUILD_SUFFIX],  # its store may be the rebuild's
        )
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if arguments.command == "migrate":
        return migrate_command(StatisticsStore(configured(settings).in_use()), ReleaseStore(releases_location(settings)))
    if arguments.command == "rebuild":
        return rebuild(settings, arguments.url.rstrip("/"))
    serve(bootstrap(settings), settings)
    return 0
