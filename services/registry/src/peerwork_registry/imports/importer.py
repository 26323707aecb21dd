"""An import: the file's rows checked, applied to the records and saved in batches, many
aggregates a transaction, as the same events the API's commands store."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from eventsourcing.persistence import IntegrityError

from peerwork_common.domain.errors import DomainError

from ..application import Registry
from .cells import Problem
from .layout import BY_KEY, Kind, columns_of
from .records import Records
from .row_outcomes import Outcome, RowRefused, UnknownReference
from .rows import Refused, Row, parse
from .rows_applied import apply, reads
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
    """A file read and its rows checked (InvalidValueError when it is not one to import);
    ``run`` imports them."""

    def __init__(self, registry: Registry, content: bytes) -> None:
        headers, lines = read_lines(content)
        columns = columns_of(headers)  # InvalidValueError: the file is not one to import
        self._registry = registry
        self._headers = {column.key: headers[index] for index, column in columns.items()}
        self._parsed = [parse(line, columns, headers) for line in lines]

    @property
    def rows(self) -> int:
        return len(self._parsed)

    def run(
        self, *, dry_run: bool = False, all_or_nothing: bool = False, progress: Progress = lambda _: None
    ) -> Report:
        report = Report(self.rows, dry_run, all_or_nothing)
        rows = sorted(
            (row for row in self._parsed if isinstance(row, Row)), key=lambda row: (_ORDER[row.kind], row.line)
        )
        records = Records(self._registry)
        applier = _Applier(records, report, self._headers)
        for refused in self._parsed:
            if isinstance(refused, Refused):
                applier.refused(refused)
        progress(report)
        size = max(len(rows), 1) if all_or_nothing else BATCH_ROWS
        for batch in (rows[start : start + size] for start in range(0, len(rows), size)):
            records.read_ahead(record for row in batch for record in reads(row))
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

    def refused(self, refused: Refused) -> None:
        """A line refused before it was applied: the rows naming its record are refused too."""
        self._report.problems += refused.problems
        self._report.done += 1
        if refused.kind is not None and refused.reference is not None:
            self._lines.setdefault((refused.kind, refused.reference), refused.line)
            self._refused.add((refused.kind, refused.reference))

    def apply(self, row: Row) -> Outcome | None:
        key = (row.kind, row.key)
        if key in self._lines:
            # The record stands as the first of its lines left it.
            kind = row.kind.value.replace("_", " ")
            return self._refuse(
                row, "reference", f"the line {self._lines[key]} has the same {kind}: one row per record"
            )
        self._lines[key] = row.line
        try:
            outcome = apply(self._records, row)
        except UnknownReference as error:
            self._refused.add(key)
            kind = Kind.STRUCTURE if error.column == "structure" else Kind.PEER_WORKER
            if (kind, error.reference) in self._refused:
                message = (
                    f"the {BY_KEY[error.column].english} {error.reference!r} was not imported: its line is refused"
                )
                return self._refuse(row, error.column, message)
            return self._refuse(row, error.column, str(error))
        except DomainError as error:
            self._refused.add(key)
            return self._refuse(row, error.column if isinstance(error, RowRefused) else None, str(error))
        if outcome is Outcome.ADDED:
            self._report.added[row.kind] += 1
        else:
            self._report.unchanged += 1
        return outcome

    def _refuse(self, row: Row, column: str | None, message: str) -> None:
        header = None if column is None else self._headers.get(column, BY_KEY[column].french)
        self._report.problems.append(Problem(row.line, header, message))


def _saved_none(report: Report, rows: list[Row]) -> None:
    for row in rows:
        report.added[row.kind] -= 1
        report.problems.append(
            Problem(
                row.line,
                None,
                "not stored: a record changed while the import ran; import the file again (what is stored is not added twice)",
            )
        )
