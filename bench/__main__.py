"""``python -m bench`` (or ``make bench``): measures each stage against its baseline.

Everything runs in a fresh temporary directory, against nats-servers started here on free
ports; the directory is deleted at the end unless ``--keep`` is given or a stage failed.
"""

import argparse
import logging
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import uvloop

from .report import Report
from .runs import measure, measure_history, measure_import, measure_relay
from .stages import HISTORY


def _load() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, stores)")
    parser.add_argument("--history", type=int, default=HISTORY, help="events of the long history")
    parser.add_argument("--history-only", action="store_true", help="measure the long history only")
    parser.add_argument("--import-only", type=int, metavar="RUNS", default=0,
                        help="measure the import stage and its baseline only, RUNS times in turn")
    parser.add_argument("--relay-only", type=int, metavar="RUNS", default=0,
                        help="measure the relay and its publish baselines only, RUNS times in turn")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

    workdir = Path(tempfile.mkdtemp(prefix="peerwork-bench-"))
    print(f"working in {workdir}", flush=True)
    report = Report()
    report.notes.append(f"load average at the start: {_load()}")  # the machine is shared: see the README
    completed = False
    try:
        if args.history_only:
            uvloop.run(measure_history(workdir, report, args.history))
        elif args.relay_only:
            uvloop.run(measure_relay(workdir, report, args.relay_only))
        elif args.import_only:
            uvloop.run(measure_import(workdir, report, args.import_only))
        else:
            uvloop.run(measure(workdir, report, args.history))
        completed = True
    finally:
        if args.keep or not completed:
            print(f"logs and stores kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report.notes.append(f"load average at the end: {_load()}")
    print()
    print(report.render())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
