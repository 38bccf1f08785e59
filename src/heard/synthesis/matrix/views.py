"""The synthesis matrix of a study, and its XLSX and CSV downloads.

All three read the same filters from the query string (a plain GET form, so it works without
JavaScript), and all three only read: an observer may use them. A large study's XLSX is made
in the background (`export_views`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.access import current_user, get_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.downloads import attachment
from heard.core.spreadsheets import csv_stream
from heard.core.streaming import FileDownload, StreamedDownload
from heard.interviews.recordings.moments import Moments
from heard.participants import pseudonyms
from heard.participants.pseudonyms import Pseudonyms
from heard.studies.access import get_study_for
from heard.studies.models import Study
from heard.synthesis.matrix import cells, export_views, exports, spreadsheet
from heard.synthesis.matrix import queries as matrix
from heard.synthesis.matrix.forms import MatrixFilterForm
from heard.synthesis.points import matrix_points

PAGE_SIZE = 25
# Where a row's cells link: the summary, and the wrap-up (a quote's note).
LINKED = ("summaries:detail", "interviews:wrapup")


def _filtered(request: WorkspaceRequest, ws: str, pk: int) -> tuple[Study, MatrixFilterForm]:
    study = get_study_for(request, ws, pk)
    return study, MatrixFilterForm(request.GET, study=study)


@get_only
def matrix_page(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    study, form = _filtered(request, ws, pk)
    filters = form.filters()
    points = matrix_points(study)
    interviews = matrix.rows_of(study, filters)
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = matrix.with_cells(page.object_list, points)
    moments = Moments(ws, [row.interview.pk for row in rows])
    for row in rows:
        interview = row.interview
        for cell in row.cells:
            moments.mark_quotes(cell.quotes, interview)
        if row.summary is not None:
            urls = [reverse(name, kwargs={"ws": ws, "pk": interview.pk}) for name in LINKED]
            row.cells_html = cells.row_cells(row.cells, interview.participant.name, *urls)
    totals = matrix.totals(interviews, points)
    context = {
        "study": study,
        "points": points,
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "totals": totals,
        "totals_html": cells.totals_row(totals),
        "not_held": matrix.not_held(study),
        "query": query.urlencode(),
        "nav_section": "studies",
    }
    if exports.in_background(sum(total.quotes for total in totals)):
        # The XLSX file is made in the background: its button, and the person's latest file.
        export = exports.latest(study, current_user(request))
        context["in_background"] = True
        context["export_fields"] = list(QueryDict(exports.filter_query(query)).lists())
        if export is not None:
            context.update(export_views.panel_context(export, request))
    return render(request, "synthesis/matrix.html", context)


@get_only
def matrix_xlsx(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponseBase:
    """The XLSX file, made as it is asked for; a large study's is made in the background,
    from the matrix page, where this sends whoever asks (a bookmark, a shared link)."""
    study, form = _filtered(request, ws, pk)
    filters = form.filters()
    interviews = matrix.rows_of(study, filters)
    quotes = matrix.quotes_in(interviews)
    if exports.in_background(quotes):
        messages.info(
            request,
            f"This matrix holds {quotes:,} quotes: its XLSX file is made in the background. "
            "Press “Make the XLSX file” to start it; a link to the file appears when it is made.",
        )
        query = exports.filter_query(request.GET)
        page = reverse("matrix:page", kwargs={"ws": ws, "pk": pk})
        return redirect(f"{page}{'?' if query else ''}{query}#matrix-export")
    points = matrix_points(study)
    links = spreadsheet.Links(study, request.build_absolute_uri)
    extra = spreadsheet.extra_sheets(study, request.membership)
    hide = _pseudonyms(request, study)
    handle = spreadsheet.workbook(study, points, interviews, filters, links, hide, extra)
    audit.record_request(
        request,
        AuditAction.EXPORTED,
        study,
        export="matrix_xlsx",
        filtered=filters.narrowed,
        **pseudonyms.noted(hide),
    )
    response = FileDownload(handle, content_type=spreadsheet.XLSX_TYPE)
    response["Content-Disposition"] = attachment(
        spreadsheet.file_name(study, "xlsx", timezone.localdate())
    )
    return response


@get_only
def matrix_csv(request: WorkspaceRequest, ws: str, pk: int) -> StreamedDownload:
    study, form = _filtered(request, ws, pk)
    points = matrix_points(study)
    links = spreadsheet.Links(study, request.build_absolute_uri)
    hide = _pseudonyms(request, study)
    lines = spreadsheet.csv_lines(matrix.rows_of(study, form.filters()), points, links, hide)
    audit.record_request(
        request,
        AuditAction.EXPORTED,
        study,
        export="matrix_csv",
        filtered=form.filters().narrowed,
        **pseudonyms.noted(hide),
    )
    response = StreamedDownload(csv_stream(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(
        spreadsheet.file_name(study, "csv", timezone.localdate())
    )
    return response


def _pseudonyms(request: WorkspaceRequest, study: Study) -> Pseudonyms:
    """How the download names the study's participants (`participants.pseudonyms`)."""
    return spreadsheet.named_as(study, pseudonyms.wanted(request))
