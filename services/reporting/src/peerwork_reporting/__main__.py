"""``python -m peerwork_reporting [serve | migrate | rebuild | dead-letters]``: serves the
statistics and runs the projection, applies the migrations its stores lack, rebuilds the
views of the running service, or lists and replays what its consumer parked."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
