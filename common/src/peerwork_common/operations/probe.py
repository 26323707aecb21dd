"""``python -m peerwork_common.operations.probe URL``: exit 0 if URL answers 2xx, 1 otherwise.

The containers' healthcheck: the image has Python but no curl."""

import sys
import urllib.error
import urllib.request


def main(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3):
            return 0
    except (urllib.error.URLError, OSError) as error:
        print(f"{url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
