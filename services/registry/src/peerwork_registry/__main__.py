"""``python -m peerwork_registry``: serves the registry's HTTP API and runs its relay.
``python -m peerwork_registry dead-letters list | replay SEQUENCE...``: what its consumer parked
(``peerwork_common.dead_letters``)."""

import sys

from peerwork_common import dead_letters
from peerwork_common.serve import serve
from peerwork_common.settings import load

from .bootstrap import bootstrap
from .config import Settings

if __name__ == "__main__":
    settings = load(Settings)
    if sys.argv[1:2] == ["dead-letters"]:
        sys.exit(dead_letters.main(sys.argv[2:], settings.nats_servers, settings.hirings_consumer_name, "python -m peerwork_registry"))
    serve(bootstrap(settings), settings)
