"""Who may see or change a summary: the one place summary views ask.

A summary belongs to its interview: the interview's access check comes first, so someone
outside the workspace gets 404 for every summary address and an observer 403 for any change.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from heard.accounts.access import Need
from heard.interviews.access import get_interview_for
from heard.studies.models import ValidationPoint
from heard.synthesis.models import Quote, Summary


def get_summary_for(
    request: HttpRequest, ws: str, interview_pk: int, need: Need = Need.VIEW
) -> Summary:
    interview = get_interview_for(request, ws, interview_pk, need)
    summary = get_object_or_404(
        Summary.objects.select_related("author", "finalised_by"), interview=interview
    )
    summary.interview = interview
    return summary


def get_point_for(summary: Summary, pk: object) -> ValidationPoint:
    """A validation point of the summary's study (the study's points are the summary's)."""
    return get_object_or_404(ValidationPoint, study_id=summary.interview.study_id, pk=pk)


def get_quote_for(
    request: HttpRequest, ws: str, interview_pk: int, pk: int, need: Need = Need.VIEW
) -> Quote:
    summary = get_summary_for(request, ws, interview_pk, need)
    quote = get_object_or_404(
        Quote.objects.select_related("point_summary__point", "note"),
        point_summary__summary=summary,
        pk=pk,
    )
    quote.point_summary.summary = summary
    return quote
