"""The operator's import: a file in, its rows stored, a line of progress and the report out."""

import getpass
import sys
from pathlib import Path
from typing import TextIO

from peerwork_common.domain.errors import InvalidValueError
from peerwork_common.eventstore.provenance import Provenance, acting_as

from ..bootstrap import registry_of
from ..config import Settings
from .importer import Import, Report

# Exit statuses: every row imported (or unchanged); some refused; the file not read at all.
DONE, SOME_REFUSED, UNREADABLE = 0, 1, 2


def run_import(
    settings: Settings,
    path: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    try:
        content = Path(path).read_bytes()
    except OSError as error:
        print(f"cannot read {path}: {error.strerror}", file=err)
        return UNREADABLE
    registry = registry_of(settings)
    try:
        try:
            an_import = Import(registry, content)
        except InvalidValueError as error:
            print(f"{path}: {error}", file=err)
            return UNREADABLE
        # The audit says who imported what: the operator's login, and the file.
        with acting_as(Provenance(f"import of {Path(path).name} by {getpass.getuser()}")):
            report = an_import.run(dry_run=dry_run, all_or_nothing=all_or_nothing, progress=_Progress(err))
    finally:
        registry.close()
    for problem in report.problems:
        where = f"line {problem.line}" + (f", column {problem.column!r}" if problem.column else "")
        print(f"{where}: {problem.message}", file=out)
    print(report.summary(), file=out)
    return SOME_REFUSED if report.problems else DONE


class _Progress:
    """Rows done of the file's: one line rewritten on a terminal, a line a batch elsewhere."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._rewrite = err.isatty()

    def __call__(self, report: Report) -> None:
        share = report.done / report.rows if report.rows else 1
        bar = "#" * int(share * 30)
        line = f"[{bar:<30}] {report.done}/{report.rows} rows"
        print(f"\r{line}" if self._rewrite else line, end="" if self._rewrite else "\n", file=self._err, flush=True)
        if self._rewrite and report.done == report.rows:
            print(file=self._err)
