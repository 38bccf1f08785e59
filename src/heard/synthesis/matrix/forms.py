"""The filters and the sort of the matrix and its downloads: a plain GET form."""

from __future__ import annotations

from typing import cast

from django import forms
from django.http import QueryDict

from heard.accounts.models import User
from heard.studies.models import Study
from heard.synthesis.matrix import queries as matrix


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
