"""Answers of the import routes."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from ..imports.jobs import Job
from ..imports.layout import Kind


class RowProblem(BaseModel):
    line: int = Field(description="The line in the file, the headers being line 1")
    column: str | None = Field(description="The column's header as the file has it; null: the row as a whole")
    message: str


class ImportView(BaseModel):
    """An import, running or ended: its rows done so far, then its report."""

    id: UUID
    status: Literal["running", "done", "failed"]
    rows: int = Field(description="Lines under the headers that hold anything")
    rows_done: int
    dry_run: bool
    all_or_nothing: bool
    stored: bool = Field(
        description="What `added` counts is stored (false for a dry run, or a file refused as a whole)"
    )
    added: dict[Kind, int] = Field(description="Records added (to add, when not stored), by kind")
    unchanged: int = Field(description="Rows already imported with the same values")
    refused: int = Field(description="Rows not imported, each with its problems")
    problems: list[RowProblem]
    summary: str
    detail: str | None = Field(default=None, description="Why a failed import stopped")

    @classmethod
    def of(cls, job: Job) -> "ImportView":
        report = job.report
        ended = job.ended.is_set()
        return cls(
            id=job.id,
            status="failed" if job.failed else "done" if ended else "running",
            rows=report.rows,
            rows_done=report.done,
            dry_run=report.dry_run,
            all_or_nothing=report.all_or_nothing,
            stored=report.stored,
            added={kind: report.added[kind] for kind in Kind},
            unchanged=report.unchanged,
            refused=report.refused,
            problems=[RowProblem(line=p.line, column=p.column, message=p.message) for p in list(report.problems)],
            summary=report.summary() if ended else f"{report.done} of {report.rows} rows done",
            detail=job.failed,
        )
