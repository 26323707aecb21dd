"""The stages' figures as the report's rows, each against its baseline and target, and its notes."""

import statistics

from .history import History, summary
from .imports import ImportRate
from .report import Report
from .stages import CONCURRENCY, PACED_RATE, ImportRun, Pipeline, Saves, Streams


def report_stages(report: Report, saves: Saves, streams: Streams, pipeline: Pipeline,
                  imported: ImportRate) -> None:
    sqlite, throughput, latency = saves.sqlite, pipeline.throughput, pipeline.latency
    report.info("eventsourcing save, SQLite (baseline)", f"{sqlite:,.0f} events/s")
    report.info("eventsourcing save, PostgreSQL (info)",
                f"{saves.postgres:,.0f} events/s" if saves.postgres else saves.postgres_note)
    report.info("Registry.register_peer_worker (info)", f"{streams.registered:,.0f} commands/s")
    report.info("raw JetStream publish (baseline)", f"{streams.publish:,.0f} msgs/s")
    report.info("raw JetStream pull consume (baseline)", f"{streams.consume:,.0f} msgs/s")
    report.ratio("relay publish_pending", streams.relayed, "events/s", "raw publish", streams.publish, 0.5)
    report.ratio("projection (reporting consumer)", streams.projected, "events/s", "raw consume",
                 streams.consume, 0.5)
    report.info("pipeline: HTTP 201s received", f"{throughput.accepted_rate:,.0f} commands/s")
    report.ratio("pipeline: commands until counted", throughput.rate, "commands/s",
                 "ES SQLite save", sqlite, 0.5)
    report.info("import: report received", f"{imported.answered_rate:,.0f} rows/s")
    report.ratio("import: rows until counted", imported.rate, "rows/s", "ES SQLite save", sqlite, 0.5)
    report.notes.append(f"import: one CSV of {imported.rows} peer workers (POST /imports, admin); "
                        f"statistics showed {imported.counted} of them")
    report.below(f"latency p50 at {PACED_RATE:g} commands/s", latency.p50_ms if latency else None, 50)
    report.below("latency p99", latency.p99_ms if latency else None, None)
    report.below("HTTP response time p50 (info)", latency.response_p50_ms if latency else None, None)
    report.below("HTTP response time p99 (info)", latency.response_p99_ms if latency else None, None)
    _pipeline_notes(report, pipeline)
    report.notes.extend(streams.projection_notes + pipeline.notes)


def _pipeline_notes(report: Report, pipeline: Pipeline) -> None:
    throughput, latency = pipeline.throughput, pipeline.latency
    report.notes.append(f"pipeline: {throughput.commands} POSTs by {CONCURRENCY} concurrent workers; "
                        f"statistics showed {throughput.counted} of them")
    if latency is None:
        report.notes.append("latency: not measured, the statistics never caught up with the throughput run")
    else:
        report.notes.append(
            f"latency: {latency.commands} POSTs offered at {latency.offered_rate:.1f}/s, "
            f"/stats/national polled every ~2 ms; statistics showed {latency.reflected} of them"
        )


def report_history(report: Report, history: History) -> None:
    figures = summary(history)
    report.info("raw JetStream replay (baseline)", f"{history.replay_rate:,.0f} msgs/s")
    report.ratio(f"rebuild of {history.published:,} events", history.rebuild_rate, "events/s",
                 "raw replay", history.replay_rate, 0.5)
    report.info("first read after the rebuild (info)", f"{history.first_read_s:.2f} s")
    report.below("région as of a day, protected, p50 (info)", figures["public_p50"], None)
    report.below("région as of a day, protected, p99", figures["public_p99"], 20)
    report.below("région as of a day, exact, p50 (info)", figures["exact_p50"], None)
    report.below("région as of a day, exact, p99", figures["exact_p99"], 20)
    report.notes.append(
        f"long history: {len(history.public_ms) + len(history.exact_ms)} GET /stats/regions/84 at random "
        "dates 2015-2025, one at a time over HTTP, half protected, half exact (analyst token)"
    )


def report_import_runs(report: Report, runs: list[ImportRun]) -> None:
    """A row for each run of ``--import-only``, then the verdict on the medians of the runs."""
    counted = [run.imported.rate or 0.0 for run in runs]
    ratios = [rate / run.sqlite for rate, run in zip(counted, runs)]
    for number, (run, rate, ratio) in enumerate(zip(runs, counted, ratios), start=1):
        report.info(
            f"run {number}, load average {run.load:.1f}",
            f"save {run.sqlite:,.0f} events/s; report {run.imported.answered_rate:,.0f} rows/s; "
            f"counted {rate:,.0f} rows/s: {ratio:.2f}x",
        )
    report.ratio(f"import: rows until counted, median of {len(runs)}", statistics.median(counted), "rows/s",
                 "ES SQLite save, median", statistics.median(run.sqlite for run in runs), 0.5)
    report.notes.append(f"import: median of the {len(runs)} runs' own ratios {statistics.median(ratios):.2f}x")
