"""``python -m peerwork_reporting rebuild``: asks the running reporting service to rebuild
its views, and follows it to the end. Reads the same ``REPORTING_*`` settings as the service."""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request

from peerwork_common.serve import serve
from peerwork_common.settings import load

from .bootstrap import bootstrap
from .config import Settings


def rebuild(settings: Settings, url: str, poll: float = 1.0) -> int:
    if settings.staff_token is None:
        print("set REPORTING_STAFF_TOKEN: rebuilding is for staff", file=sys.stderr)
        return 2
    token = settings.staff_token.get_secret_value()

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
    rebuilding = commands.add_parser(
        "rebuild", help="rebuild the running service's views from the stream, then switch over"
    )
    rebuilding.add_argument(
        "--url", default=f"http://{settings.host}:{settings.port}", help="the running service"
    )
    arguments = parser.parse_args(argv)
    if arguments.command == "rebuild":
        return rebuild(settings, arguments.url.rstrip("/"))
    serve(bootstrap(settings), settings)
    return 0
