"""``python -m peerwork_accompaniment``: serves the accompaniment's HTTP API and runs its relay."""

from peerwork_common.serve import serve
from peerwork_common.settings import load

from .bootstrap import bootstrap
from .config import Settings

if __name__ == "__main__":
    settings = load(Settings)
    serve(bootstrap(settings), settings)
