"""The owners' page of the audit log, filtered, and its CSV download (itself recorded)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.access import Need, get_only, membership_for
from heard.accounts.audit import lines
from heard.accounts.audit.reading import AuditFilterForm, csv_lines
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.downloads import attachment
from heard.core.spreadsheets import csv_stream
from heard.core.streaming import StreamedDownload

PAGE_SIZE = 50


@get_only
def audit_log(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.AUDIT_LOG)
    form = AuditFilterForm(request.GET, workspace=membership.workspace)
    page = Paginator(form.entries(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "lines": lines.lines(page.object_list, ws),
        "narrowed": bool(form.narrowing()),
        "query": query.urlencode(),
        "keep_days": settings.HEARD_AUDIT_KEEP_DAYS,
    }
    return render(request, "accounts/audit_log.html", context)


@get_only
def audit_csv(request: WorkspaceRequest, ws: str) -> StreamedDownload:
    """The filtered entries as CSV, streamed; downloading them is an entry of its own."""
    membership = membership_for(request, ws, Need.AUDIT_LOG)
    workspace = membership.workspace
    form = AuditFilterForm(request.GET, workspace=workspace)
    narrowing = form.narrowing()
    audit.record(
        workspace,
        membership.user,
        AuditAction.AUDIT_LOG_EXPORTED,
        request=request,
        filtered=bool(narrowing),
        filters={name: str(value) for name, value in narrowing.items()},
    )
    response = StreamedDownload(
        csv_stream(csv_lines(form.entries())), content_type="text/csv; charset=utf-8"
    )
    today = timezone.localdate().isoformat()
    response["Content-Disposition"] = attachment(f"heard-audit-log-{workspace.slug}-{today}.csv")
    response["Cache-Control"] = "private, no-store"
    return response
