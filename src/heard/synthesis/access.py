"""Who may see or change summaries, findings and reviews: the one place synthesis views ask.

A summary belongs to its interview, a finding and a review to their study: that access check
comes first, so someone outside the workspace gets 404 for every address and an observer 403
for any change, with one exception: taking part in a review (`Need.TAKE_PART_IN_REVIEW`, a rule of `Role`).
A matrix export made in the background is its asker's alone: anyone else gets 404.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from heard.accounts.access import Need, current_user, membership_for
from heard.accounts.requests import WorkspaceRequest
from heard.interviews.access import get_interview_for
from heard.studies.access import get_study_for
from heard.studies.models import ValidationPoint
from heard.synthesis.models import Challenge, Finding, MatrixExport, Quote, Review, Summary
from heard.synthesis.points import points_spoken_to


def get_summary_for(
    request: WorkspaceRequest, ws: str, interview_pk: int, need: Need = Need.VIEW
) -> Summary:
    interview = get_interview_for(request, ws, interview_pk, need)
    summary = get_object_or_404(
        Summary.objects.select_related("author", "finalised_by"), interview=interview
    )
    summary.interview = interview
    return summary


def get_point_for(summary: Summary, pk: object) -> ValidationPoint:
    """A validation point of the summary's study (the study's points are the summary's): a
    current one, or an archived one the summary already spoke to."""
    spoken = points_spoken_to(summary.interview.study, Q(summary=summary))
    return get_object_or_404(spoken, pk=pk)


def get_quote_for(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int, need: Need = Need.VIEW
) -> Quote:
    summary = get_summary_for(request, ws, interview_pk, need)
    quote = get_object_or_404(
        Quote.objects.select_related("point_summary__point", "note"),
        point_summary__summary=summary,
        pk=pk,
    )
    quote.point_summary.summary = summary
    return quote


def get_finding_for(
    request: WorkspaceRequest, ws: str, study_pk: int, pk: int, need: Need = Need.VIEW
) -> Finding:
    study = get_study_for(request, ws, study_pk, need)
    finding = get_object_or_404(Finding, study=study, pk=pk)
    finding.study = study
    return finding


def get_review_for(request: WorkspaceRequest, ws: str, pk: int, need: Need = Need.VIEW) -> Review:
    membership = membership_for(request, ws, need)
    return get_object_or_404(
        Review.objects.select_related("study", "started_by", "follow_up_guide", "presenter"),
        study__workspace=membership.workspace,
        pk=pk,
    )


def get_review_finding_for(review: Review, pk: object) -> Finding:
    finding = get_object_or_404(Finding, study_id=review.study_id, pk=pk)
    finding.study = review.study
    return finding


def get_challenge_for(
    request: WorkspaceRequest, ws: str, review_pk: int, pk: int, need: Need = Need.VIEW
) -> Challenge:
    review = get_review_for(request, ws, review_pk, need)
    challenge = get_object_or_404(
        Challenge.objects.select_related(
            "author",
            "finding",
            "counter_quote__note",
            "counter_quote__point_summary__summary__interview__participant",
        ),
        review=review,
        pk=pk,
    )
    challenge.review = review
    return challenge


def get_export_for(request: WorkspaceRequest, ws: str, study_pk: int, pk: int) -> MatrixExport:
    """An export of the study's matrix that this person asked for (made for their role and
    filters: nobody else's), read as the matrix's downloads are (observers too)."""
    study = get_study_for(request, ws, study_pk)
    export = get_object_or_404(MatrixExport, study=study, requested_by=current_user(request), pk=pk)
    export.study = study
    return export
