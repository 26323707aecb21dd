"""``python -m peerwork_reporting [serve | rebuild]``: serves the statistics and runs the
projection, or rebuilds the views of the running service."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
