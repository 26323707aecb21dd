"""``python -m peerwork_registry``: serves the registry's HTTP API and runs its relay;
``python -m peerwork_registry import FILE [--dry-run] [--all-or-nothing]`` imports a
spreadsheet into its store (the serving registry's relay publishes what it stores);
``python -m peerwork_registry migrate`` applies the migrations its database lacks (as
serving does at start); ``python -m peerwork_registry dead-letters list | replay SEQUENCE...``: what its hirings
consumer parked (``peerwork_common.messaging.dead_letters``)."""

import argparse
import sys

from peerwork_common.eventstore.schema_migrations import migrate_command
from peerwork_common.http.serve import serve
from peerwork_common.messaging import dead_letters
from peerwork_common.settings import load

from .bootstrap import bootstrap, registry_of
from .config import Settings

PROG = "python -m peerwork_registry"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["dead-letters"]:  # its own arguments, read by dead_letters.main
        settings = load(Settings)
        return dead_letters.main(argv[1:], settings.nats_servers, settings.hirings_consumer_name, PROG)
    parser = argparse.ArgumentParser(prog=PROG, epilog="dead-letters list | replay SEQUENCE...: what the hirings consumer parked")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the HTTP API and run the relay (the default)")
    commands.add_parser("migrate", help="apply the migrations its database lacks (serving does too), then exit")
    importing = commands.add_parser("import", help="import structures, peer workers and employments from a spreadsheet")
    importing.add_argument("file", help="CSV (UTF-8 or Windows-1252, ',' or ';'), XLSX or ODS")
    importing.add_argument("--dry-run", action="store_true", help="check every row, store nothing")
    importing.add_argument("--all-or-nothing", action="store_true", help="store nothing when any row is refused")
    arguments = parser.parse_args(argv)
    settings = load(Settings)
    if arguments.command == "migrate":
        return migrate_command(registry_of(settings))
    if arguments.command == "import":
        from .imports.command import run_import  # the server needs none of it

        return run_import(settings, arguments.file, dry_run=arguments.dry_run, all_or_nothing=arguments.all_or_nothing)
    serve(bootstrap(settings), settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
