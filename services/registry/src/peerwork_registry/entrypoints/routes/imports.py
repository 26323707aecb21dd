"""Imports of structures, peer workers and employments from a spreadsheet, for admins."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import File, HTTPException, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from peerwork_common.http.access import protected_router
from peerwork_common.http.refusals import refusals
from peerwork_common.security.auth import ADMIN

from ...imports.importer import Import
from ...imports.layout import template_csv
from ...imports.sheets import NotASpreadsheetError
from ..deps import RegistryDep
from ..import_schemas import ImportView

router = protected_router(ADMIN, prefix="/imports", tags=["imports"], responses=refusals(422))

UPLOAD_PATH = "/imports"


@router.get("/template", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def template(language: Literal["fr", "en"] = "fr") -> Response:
    """The file to fill in: its columns (headers in French, or English) and an example row of
    each kind, as CSV French Excel opens as it is."""
    filename = "modele-import.csv" if language == "fr" else "import-template.csv"
    return Response(
        template_csv(english=language == "en"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "",
    responses={
        202: {"model": ImportView, "description": "Still running: follow it at the Location given"},
        **refusals(413, 415),
    },
)
def start_import(
    request: Request,
    registry: RegistryDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or Windows-1252, ',' or ';'), XLSX or ODS")],
    dry_run: bool = False,
    all_or_nothing: bool = False,
) -> ImportView:
    """Import structures, peer workers and employments from a spreadsheet (the columns of
    `GET /imports/template`): each row checked as the API checks its command, the valid ones
    stored as the API stores them, a row imported before found by its reference and not
    added again. `dry_run`: only check, store nothing. `all_or_nothing`: store nothing when
    any row is refused. The report comes back when the import ends soon enough; else a 202,
    whose `GET /imports/{id}` shows the rows done, then the report."""
    try:
        an_import = Import(registry, file.file.read())
    except NotASpreadsheetError as error:
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, str(error)) from None
    job = request.app.state.imports.start(an_import, dry_run=dry_run, all_or_nothing=all_or_nothing)
    if job.ended.wait(request.app.state.import_answer_within):
        return ImportView.of(job)
    return JSONResponse(
        ImportView.of(job).model_dump(mode="json"),
        status_code=status.HTTP_202_ACCEPTED,
        headers={"Location": f"{UPLOAD_PATH}/{job.id}"},
    )


@router.get("/{import_id}", responses=refusals(404))
def follow_import(import_id: UUID, request: Request) -> ImportView:
    """An import started by this process: the rows done so far, then its report."""
    job = request.app.state.imports.get(import_id)
    if job is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"no import {import_id} is known here: imports are followed on the process that ran them, "
            "for as long as it runs",
        )
    return ImportView.of(job)
