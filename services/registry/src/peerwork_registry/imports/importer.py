"""An import: the file's rows checked, applied to the records and saved in batches, many
aggregates a transaction, as the same events the API's commands store."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from eventsourcing.persistence import IntegrityError

from peerwork_common.errors import DomainError

from ..application import Registry
from .layout import BY_KEY, Kind, columns_of
from .records import Records
from .rows import Problem, Row, parse
from .rows_applied import Outcome, RowRefused, apply
from .sheets import read_lines

# Rows a transaction saves. Each transaction is one write of the store's; a batch refused
# by a conflict is a batch's rows to import again.
BATCH_ROWS = 500
# Structures first, so that the peer workers' employments find them whatever the order of the file.
_ORDER = {Kind.STRUCTURE: 0, Kind.PEER_WORKER: 1, Kind.EMPLOYMENT: 2}


@dataclass
class Report:
    rows: int
    dry_run: bool
    all_or_nothing: bool
    done: int = 0
    added: Counter[Kind] = field(default_factory=Counter)  # to be added, in a dry run
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    stored: bool = False  # what ``added`` counts was stored

    @property
    def refused(self) -> int:
        return len({problem.line for problem in self.problems})

    def summary(self) -> str:
        added = ", ".join(f"{self.added[kind]} {kind.value.replace('_', ' ')}s" for kind in Kind)
        if self.stored:
            verb = "added"
        elif self.dry_run:
            verb = "to add (a dry run: nothing stored)"
        else:
            verb = "to add once no row is refused (all or nothing: nothing stored)"
        return f"{self.rows} rows: {added} {verb}; {self.unchanged} unchanged; {self.refused} refused"


Progress = Callable[[Report], None]


class Import:
    """Reads a file (``read``), then imports its rows (``run``)."""

    def __init__(self, registry: Registry, content: bytes) -> None:
        headers, lines = read_lines(content)
        columns = columns_of(headers)  # InvalidValueError: the file is not one to import
        self._registry = registry
        self._headers = {column.key: headers[index] for index, column in columns.items()}
        self._parsed = [parse(line, columns, headers) for line in lines]

    @property
    def rows(self) -> int:
        return len(self._parsed)

    def run(self, *, dry_run: bool = False, all_or_nothing: bool = False, progress: Progress = lambda _: None) -> Report:
        report = Report(self.rows, dry_run, all_or_nothing)
        rows = sorted((row for row in self._parsed if isinstance(row, Row)), key=lambda row: (_ORDER[row.kind], row.line))
        for problems in self._parsed:
            if not isinstance(problems, Row):
                report.problems += problems
                report.done += 1
        records = Records(self._registry)
        applier = _Applier(records, report, self._headers)
        progress(report)
        size = max(len(rows), 1) if all_or_nothing else BATCH_ROWS
        for batch in (rows[start:start + size] for start in range(0, len(rows), size)):
            added = [row for row in batch if applier.apply(row) is Outcome.ADDED]
            if added and not dry_run and not (all_or_nothing and report.problems):
                try:
                    records.save()
                except IntegrityError:
                    records.forget()
                    _saved_none(report, added)
            report.done += len(batch)
            progress(report)
        report.problems.sort(key=lambda problem: problem.line)
        report.stored = not dry_run and not (all_or_nothing and report.problems)
        return report


class _Applier:
    def __init__(self, records: Records, report: Report, headers: dict[str, str]) -> None:
        self._headers = headers  # each column's header, as the file writes it
        self._records = records
        self._report = report
        self._lines: dict[tuple[Kind, str], int] = {}  # the line each key came on
        self._refused: set[tuple[Kind, str]] = set()

    def apply(self, row: Row) -> Outcome | None:
        key = (row.kind, row.key)
        try:
            if key in self._lines:
                raise RowRefused("reference", f"the line {self._lines[key]} has the same {row.kind.value.replace('_', ' ')}: one row per record")
            self._lines[key] = row.line
            for kind, reference, column in ((Kind.STRUCTURE, row.structure, "structure"), (Kind.PEER_WORKER, row.peer_worker, "peer_worker")):
                if (kind, reference) in self._refused:
                    raise RowRefused(column, f"the {BY_KEY[column].english} {reference!r} was not imported: its line is refused")
            outcome = apply(self._records, row)
        except DomainError as error:
            self._refused.add(key)
            column = error.column if isinstance(error, RowRefused) else None
            header = None if column is None else self._headers.get(column, BY_KEY[column].french)
            self._report.problems.append(Problem(row.line, header, str(error)))
            return None
        if outcome is Outcome.ADDED:
            self._report.added[row.kind] += 1
        else:
            self._report.unchanged += 1
        return outcome


def _saved_none(report: Report, rows: list[Row]) -> None:
    for row in rows:
        report.added[row.kind] -= 1
        report.problems.append(Problem(
            row.line, None,
            "not stored: a record changed while the import ran; import the file again (what is stored is not added twice)",
        ))
