"""A large study's matrix made in the background (`exports.py`): asking for the file, its
progress (the panel the matrix page polls, or a page of its own without JavaScript) and the
file once made.

Whoever may download the matrix may ask (observers too: it is the same read); the export and
its file are the asker's alone.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.access import current_user, get_only, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core import ranged
from heard.core.downloads import attachment
from heard.participants import pseudonyms
from heard.studies.access import get_study_for
from heard.synthesis.access import get_export_for
from heard.synthesis.matrix import exports, spreadsheet
from heard.synthesis.models import ExportStatus, MatrixExport

PANEL = "synthesis/_matrix_export.html"


def panel_context(export: MatrixExport, request: WorkspaceRequest) -> dict[str, Any]:
    """What the export's panel shows: its progress, its file, or why there is none."""
    done_but = ""
    if export.status == ExportStatus.DONE:
        done_but = exports.unavailable(export, request.membership)
    return {
        "export": export,
        "study": export.study,
        "export_filters": exports.filters_of(export).describe(),
        "export_again": list(QueryDict(export.query).lists()),
        "export_unavailable": done_but,
    }


@post_only
def export_start(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponseBase:
    study = get_study_for(request, ws, pk)
    export = exports.start(
        study,
        current_user(request),
        query=exports.filter_query(request.POST),
        pseudonyms=(pseudonyms.forced_for(request) or request.POST.get(pseudonyms.ASK) == "1"),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    export.study = study
    if request.htmx:
        return render(request, PANEL, panel_context(export, request))
    return redirect("matrix:export", ws=ws, pk=pk, export_pk=export.pk)


@get_only
def export_status(request: WorkspaceRequest, ws: str, pk: int, export_pk: int) -> HttpResponse:
    """The panel alone (asked for every few seconds while the file is made), or a page of its
    own, which reloads itself without JavaScript while it is made."""
    export = get_export_for(request, ws, pk, export_pk)
    exports.revive_stalled(export)
    export.refresh_from_db()
    context = panel_context(export, request)
    if request.htmx:
        return render(request, PANEL, context)
    return render(request, "synthesis/matrix_export.html", {**context, "nav_section": "studies"})


@get_only
def export_file(request: WorkspaceRequest, ws: str, pk: int, export_pk: int) -> HttpResponseBase:
    export = get_export_for(request, ws, pk, export_pk)
    if exports.unavailable(export, request.membership):
        raise Http404
    study = export.study
    audit.record_request(
        request,
        AuditAction.EXPORTED,
        study,
        export="matrix_xlsx",
        filtered=exports.filters_of(export).narrowed,
        **({"pseudonyms": True} if export.pseudonyms else {}),
    )
    made = timezone.localdate(export.finished_at)
    return ranged.served(
        request,
        export.stored_name,
        spreadsheet.XLSX_TYPE,
        attachment(spreadsheet.file_name(study, "xlsx", made)),
    )
