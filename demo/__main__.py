"""``python -m demo``: loads the demo dataset into running services, through their HTTP APIs.

Meant for fresh stores (``make run`` on an empty ``.data``): loaded twice, everything is
there twice. Exit status 1, with the refusal, as soon as a service refuses a command.

Commands are for staff: the demo sends ``--token`` (default ``PEERWORK_TOKEN``), or issues
itself a staff token from the services' secret: ``AUTH_JWT_SECRET`` (or a service's
``<SERVICE>_AUTH_JWT_SECRET``), else the one ``make run`` keeps in its data directory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from peerwork_common.security.auth import STAFF
from peerwork_common.security.tokens import from_environment, issue

from . import dataset
from .dataset import REFERENCE_DAY, build_plan
from .figures import Figures, figures_at
from .loader import CONCURRENCY, LoadError, load
from .plan import Plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--registry", default="http://127.0.0.1:8001", help="registry URL")
    parser.add_argument(
        "--accompaniment", default="http://127.0.0.1:8002", help="accompaniment URL"
    )
    parser.add_argument(
        "--reporting", default=f"http://127.0.0.1:{os.environ.get('PEERWORK_REPORTING_PORT', '8003')}",
        help="reporting URL (for the report's address the demo prints)",
    )
    parser.add_argument("--seed", type=int, default=dataset.DEFAULT_SEED, help="random seed")
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY, help="requests in flight")
    parser.add_argument("--dry-run", action="store_true", help="plan and summarise, send nothing")
    parser.add_argument("--token", default=os.environ.get("PEERWORK_TOKEN"), help="a staff token")
    args = parser.parse_args(argv)
    token = args.token or _staff_token()
    if token is None and not args.dry_run:
        print("demo: needs a staff token: set PEERWORK_TOKEN (make run prints one)", file=sys.stderr)
        return 2

    plan = build_plan(args.seed)
    print(f"demo: seed {plan.seed}, history from {dataset.FIRST_YEAR} to {plan.today} (today)")
    if not args.dry_run:
        try:
            loaded = asyncio.run(load(
                plan, args.registry.rstrip("/"), args.accompaniment.rstrip("/"), token, args.concurrency,
                progress=lambda line: print(f"  {line}", flush=True),
            ))
        except LoadError as refused:
            print(f"demo: load failed, stopped: {refused}", file=sys.stderr)
            return 1
        rate = loaded.commands / loaded.seconds
        print(f"loaded {loaded.commands:,} commands in {loaded.seconds:.1f}s ({rate:.0f}/s)")
    print(summary(plan))
    print(
        f"the {REFERENCE_DAY.year} activity report, in French, once its release is made "
        f"(/stats/releases): {args.reporting.rstrip('/')}/reports/annual/{REFERENCE_DAY.year}"
    )
    return 0


def _staff_token() -> str | None:
    secret = from_environment("JWT_SECRET")
    local = Path(os.environ.get("PEERWORK_DATA_DIR", ".data")) / "auth-secret"  # make run's
    if secret is None and local.exists():
        secret = local.read_text().strip()
    return issue(secret, "demo loader", [STAFF], hours=1) if secret else None


def summary(plan: Plan) -> str:
    c = plan.counts()
    new_hires = sum("new_peer_worker" in command.body for command in plan.commands)
    milestones = sum(n for label, n in c.items() if label.startswith("milestone "))
    lines = [
        "registry:",
        f"  {c['register structure']:,} partner structures",
        f"  {c['register peer worker']:,} peer workers registered, {new_hires} more by hirings",
        (
            f"  {c['record employment']:,} employments ({c['end employment']:,} ended),"
            f" {c['move peer worker']:,} moves, {c['withdraw peer worker']:,} withdrawals"
        ),
        "accompaniment:",
        (
            f"  {c['open accompaniment']:,} accompaniments ({c['close accompaniment']:,} closed),"
            f" {milestones:,} milestones, {c['milestone peer_worker_hired']:,} of them hirings"
        ),
        (
            f"  {c['schedule session']:,} training sessions ({c['complete session']:,} completed,"
            f" {c['cancel session']:,} cancelled), {c['enrol']:,} enrolments,"
            f" {c['record attendance']:,} attendances"
        ),
        f"  {c['form network']:,} peers' networks ({c['end network']:,} ended), {c['hold meeting']:,} meetings",
        "expected in reporting (/stats/national, /stats/regions/84) once the events have flowed:",
        f"  at {REFERENCE_DAY}: {_figures(figures_at(plan, REFERENCE_DAY))}",
        f"  at {plan.today}: {_figures(figures_at(plan, plan.today))}",
    ]
    return "\n".join(lines)


def _figures(figures: Figures) -> str:
    return (
        f"{figures.peer_workers:,} peer workers ({figures.employed_peer_workers:,} employed),"
        f" {figures.partner_structures} partner structures,"
        f" {figures.departements_covered} départements covered,"
        f" {figures.ara_share:.1%} in Auvergne-Rhône-Alpes ({figures.ara_peer_workers})"
    )


if __name__ == "__main__":
    sys.exit(main())
