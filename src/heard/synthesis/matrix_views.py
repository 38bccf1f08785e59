"""The synthesis matrix of a study, and its XLSX and CSV downloads.

All three read the same filters from the query string (a plain GET form, so it works without
JavaScript), and all three only read: an observer may use them.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from heard.accounts.access import get_only
from heard.accounts.models import User
from heard.core.spreadsheets import csv_stream
from heard.studies.access import get_study_for
from heard.studies.models import Study
from heard.synthesis import matrix, spreadsheet

PAGE_SIZE = 25


class MatrixFilterForm(forms.Form):
    segment = forms.ChoiceField(required=False)
    interviewer = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Anyone"
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    final = forms.BooleanField(label="Final summaries only", required=False)
    sort = forms.ChoiceField(label="Sort by", choices=matrix.Sort.choices, required=False)

    def __init__(self, data: QueryDict, *, study: Study) -> None:
        super().__init__(data, label_suffix="")
        segment = cast(forms.ChoiceField, self.fields["segment"])
        segment.choices = [("", "All segments"), *((s, s) for s in matrix.segments(study))]
        interviewer = cast(forms.ModelChoiceField, self.fields["interviewer"])
        interviewer.queryset = matrix.interviewers(study)

    def filters(self) -> matrix.Filters:
        """The filters that hold; a value that does not (a date like 2027-02-30) is left out
        and shown with its error."""
        self.is_valid()
        data = self.cleaned_data
        return matrix.Filters(
            segment=data.get("segment") or "",
            interviewer=data.get("interviewer"),
            since=data.get("since"),
            until=data.get("until"),
            final_only=bool(data.get("final")),
            sort=data.get("sort") or matrix.Sort.DATE,
        )


def _filtered(request: HttpRequest, ws: str, pk: int) -> tuple[Study, MatrixFilterForm]:
    study = get_study_for(request, ws, pk)
    return study, MatrixFilterForm(request.GET, study=study)


@get_only
def matrix_page(request: HttpRequest, ws: str, pk: int) -> HttpResponse:
    study, form = _filtered(request, ws, pk)
    filters = form.filters()
    points = list(study.points.all())
    interviews = matrix.rows_of(study, filters)
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "study": study,
        "points": points,
        "form": form,
        "filters": filters,
        "page": page,
        "rows": matrix.with_cells(page.object_list, points),
        "totals": matrix.totals(interviews, points),
        "not_held": matrix.not_held(study),
        "query": query.urlencode(),
        "nav_section": "studies",
    }
    return render(request, "synthesis/matrix.html", context)


@get_only
def matrix_xlsx(request: HttpRequest, ws: str, pk: int) -> FileResponse:
    study, form = _filtered(request, ws, pk)
    filters = form.filters()
    points = list(study.points.all())
    links = spreadsheet.Links(study, request.build_absolute_uri)
    handle = spreadsheet.workbook(study, points, matrix.rows_of(study, filters), filters, links)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=spreadsheet.file_name(study, "xlsx", timezone.localdate()),
        content_type=spreadsheet.XLSX_TYPE,
    )


@get_only
def matrix_csv(request: HttpRequest, ws: str, pk: int) -> StreamingHttpResponse:
    study, form = _filtered(request, ws, pk)
    points = list(study.points.all())
    links = spreadsheet.Links(study, request.build_absolute_uri)
    lines = spreadsheet.csv_lines(matrix.rows_of(study, form.filters()), points, links)
    response = StreamingHttpResponse(csv_stream(lines), content_type="text/csv; charset=utf-8")
    filename = spreadsheet.file_name(study, "csv", timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
