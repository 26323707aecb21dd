"""``python -m peerwork_reporting``: serves the statistics and runs the projection."""

from peerwork_common.serve import serve

from .bootstrap import bootstrap
from .config import Settings

if __name__ == "__main__":
    settings = Settings()
    serve(bootstrap(settings), settings)
