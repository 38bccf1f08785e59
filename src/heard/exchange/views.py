"""A study's REFI-QDA project and codebook, and importing a project coded elsewhere: upload,
check what it would add, then import (or cancel)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.access import Need, current_user, get_only, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.downloads import attachment, uploaded_name
from heard.core.streaming import FileDownload
from heard.exchange import codebook, preview, project, services
from heard.exchange.access import get_import_for
from heard.exchange.archive import ArchiveError
from heard.exchange.forms import UploadForm
from heard.exchange.qde import ProjectError
from heard.participants import pseudonyms
from heard.studies.access import get_study_for

QDPX_TYPE = "application/zip"
QDC_TYPE = "application/xml; charset=utf-8"


@get_only
def project_file(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponseBase:
    """The study as a REFI-QDA project (`.qdpx`)."""
    study = get_study_for(request, ws, pk)
    hide = project.named_as(study, pseudonyms.wanted(request))
    handle, written = project.write_project(study, hide, current_user(request))
    audit.record_request(
        request,
        AuditAction.EXPORTED,
        study,
        export="refi_qdpx",
        sources=written.sources,
        selections=written.selections,
        **pseudonyms.noted(hide),
    )
    response = FileDownload(handle, content_type=QDPX_TYPE)
    response["Content-Disposition"] = attachment(
        project.file_name(study, "qdpx", timezone.localdate())
    )
    response["Cache-Control"] = "private, no-store"
    return response


@get_only
def codebook_file(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The study's validation points and the kinds of note as a REFI-QDA codebook (`.qdc`)."""
    study = get_study_for(request, ws, pk)
    response = HttpResponse(codebook.codebook_file(study), content_type=QDC_TYPE)
    audit.record_request(request, AuditAction.EXPORTED, study, export="refi_qdc")
    response["Content-Disposition"] = attachment(
        project.file_name(study, "qdc", timezone.localdate())
    )
    response["Cache-Control"] = "private, no-store"
    return response


def import_upload(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """Upload a project; it is read and checked, and the check shown next."""
    study = get_study_for(request, ws, pk, Need.EDIT)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            checked = services.check(
                study, current_user(request), upload, uploaded_name(upload.name, "project.qdpx")
            )
        except (ArchiveError, ProjectError) as error:
            form.add_error("file", f"{error} Nothing was imported.")
        else:
            return redirect("exchange:import_check", ws=ws, pk=pk, import_pk=checked.pk)
    context = {"study": study, "form": form, "recent": services.recent(study)}
    return render(request, "exchange/import_upload.html", context)


def import_check(request: WorkspaceRequest, ws: str, pk: int, import_pk: int) -> HttpResponse:
    """GET: what the import would do, its progress, or once done what it did; POST: import
    (again, after a failure)."""
    checked = get_import_for(request, ws, pk, import_pk)
    if request.method == "POST":
        if checked.is_done:
            messages.info(request, "This project was imported already: here is what it did.")
        else:
            services.queue(checked.pk, current_user(request))
        return redirect("exchange:import_check", ws=ws, pk=pk, import_pk=checked.pk)
    return render(request, "exchange/import_check.html", preview.context(checked))


@post_only
def import_cancel(request: WorkspaceRequest, ws: str, pk: int, import_pk: int) -> HttpResponse:
    checked = get_import_for(request, ws, pk, import_pk)
    if not checked.is_done:
        checked.delete()
        messages.info(request, "Import cancelled: nothing was imported.")
    return redirect("studies:detail", ws=ws, pk=pk)
