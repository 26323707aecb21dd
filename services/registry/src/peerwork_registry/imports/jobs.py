"""Imports running in the background of the HTTP API, followed by id until they end."""

import contextvars
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from .importer import Import, Report

log = logging.getLogger(__name__)

# Imports whose report is kept (this process's, in memory): the oldest ended go first.
KEPT = 50


@dataclass
class Job:
    id: UUID
    report: Report
    ended: threading.Event = field(default_factory=threading.Event)
    failed: str | None = None


class Jobs:
    def __init__(self) -> None:
        self._jobs: OrderedDict[UUID, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, an_import: Import, *, dry_run: bool, all_or_nothing: bool) -> Job:
        """Runs the import in a thread of its own, as whoever started it (``provenance``)."""
        job = Job(uuid4(), Report(an_import.rows, dry_run, all_or_nothing))

        def run() -> None:
            try:
                job.report = an_import.run(
                    dry_run=dry_run, all_or_nothing=all_or_nothing, progress=lambda report: _follow(job, report)
                )
            except Exception as error:  # noqa: BLE001 - the store failing: said to whoever follows the import
                log.exception("import %s failed", job.id)
                job.failed = f"the import stopped: {error}; import the file again (what is stored is not added twice)"
            finally:
                job.ended.set()

        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEPT and (oldest := next(iter(self._jobs.values()))).ended.is_set():
                del self._jobs[oldest.id]
        # The thread carries who acts, so that the events it stores say so.
        threading.Thread(
            target=contextvars.copy_context().run, args=(run,), name=f"import-{job.id}", daemon=True
        ).start()
        return job

    def get(self, job_id: UUID) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)


def _follow(job: Job, report: Report) -> None:
    job.report = report
