"""What ``python -m bench`` can run: every stage then the long history, the long history only,
the import stage and its baseline only, or the relay and its baselines only; each measures its stages, then reports their figures."""

from pathlib import Path

from .report import Report
from .stages import history_stage, import_run, import_stage, pipeline_stage, relay_run, save_stages, stream_stages
from .targets import report_history, report_import_runs, report_relay_runs, report_stages


async def measure(workdir: Path, report: Report, history: int) -> None:
    saves = save_stages(workdir)
    streams = await stream_stages(workdir)
    pipeline = await pipeline_stage(workdir)
    imported = await import_stage(workdir)
    report_stages(report, saves, streams, pipeline, imported)
    await measure_history(workdir, report, history)


async def measure_history(workdir: Path, report: Report, total: int) -> None:
    report_history(report, await history_stage(workdir, total))


async def measure_import(workdir: Path, report: Report, runs: int) -> None:
    """The import stage and its baseline only, one after the other ``runs`` times, each run
    on fresh stores and a fresh nats-server: the load of a shared machine moves both, so
    the verdict is on the medians of the runs."""
    report_import_runs(report, [await import_run(workdir, run) for run in range(1, runs + 1)])


async def measure_relay(workdir: Path, report: Report, runs: int) -> None:
    """The relay stage and its publish baselines only, ``runs`` times in turn, each on a fresh
    store and nats-server; the verdict is on the medians of the runs' ratios."""
    report_relay_runs(report, [await relay_run(workdir, run) for run in range(1, runs + 1)])
