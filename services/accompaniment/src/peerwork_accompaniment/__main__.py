"""``python -m peerwork_accompaniment``: serves the accompaniment's HTTP API and runs its relay.
``python -m peerwork_accompaniment migrate``: applies the migrations its database lacks, then exits.
``python -m peerwork_accompaniment dead-letters list | replay SEQUENCE...``: what its consumer parked
(``peerwork_common.messaging.dead_letters``)."""

import sys

from peerwork_common.eventstore.schema_migrations import migrate_command
from peerwork_common.http.serve import serve
from peerwork_common.messaging import dead_letters
from peerwork_common.settings import load

from .application import Accompaniments
from .bootstrap import bootstrap
from .config import Settings

if __name__ == "__main__":
    settings = load(Settings)
    if sys.argv[1:2] == ["migrate"]:  # as serving does at start
        sys.exit(migrate_command(Accompaniments(env=settings.eventsourcing_env())))
    if sys.argv[1:2] == ["dead-letters"]:
        sys.exit(dead_letters.main(sys.argv[2:], settings.nats_servers, settings.registry_records_consumer_name, "python -m peerwork_accompaniment"))
    serve(bootstrap(settings), settings)
