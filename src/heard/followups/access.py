"""Who may see or change a follow-up email or a follow-up template: decided here only.

A follow-up belongs to its interview, so the interview's helper decides first: outsiders get
404, observers read and get 403 for any change.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from heard.accounts.access import Need, membership_for
from heard.accounts.requests import WorkspaceRequest
from heard.followups.models import FollowUp, FollowUpTemplate
from heard.interviews.access import get_interview_for


def get_followup_for(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int, need: Need = Need.VIEW
) -> FollowUp:
    interview = get_interview_for(request, ws, interview_pk, need)
    followup = get_object_or_404(
        FollowUp.objects.select_related("created_by", "sent_by"), interview=interview, pk=pk
    )
    followup.interview = interview
    return followup


def get_template_for(
    request: WorkspaceRequest, ws: str, pk: int, need: Need = Need.VIEW
) -> FollowUpTemplate:
    membership = membership_for(request, ws, need)
    return get_object_or_404(FollowUpTemplate, workspace=membership.workspace, pk=pk)
