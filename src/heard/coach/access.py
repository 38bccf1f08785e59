"""Who sees the coach's reports: the interviewer and the workspace's owners; every researcher
where the workspace opens them (`CoachPolicy.open_to_researchers`); observers never.

A user outside the workspace gets 404 for every address, as everywhere; a member the rule
leaves out gets 403 (the page says who may see it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from heard.accounts.access import Need, membership_for
from heard.accounts.models import Membership, Role, User
from heard.accounts.requests import WorkspaceRequest
from heard.coach.models import CoachReport
from heard.coach.services import policy_of
from heard.interviews.access import interviews_in
from heard.interviews.models import Interview, TeamMember, TeamRole
from heard.studies.models import Study

REFUSED = (
    "The coach's reports are for the interviewer and the workspace's owners"
    "{others}; observers do not see them."
)


def sees_all(membership: Membership) -> bool:
    """Whether the member sees every interview's report of the workspace."""
    role = membership.role_enum
    if role is Role.OWNER:
        return True
    return role is Role.RESEARCHER and policy_of(membership.workspace).open_to_researchers


def _refuse(membership: Membership) -> PermissionDenied:
    open_ = policy_of(membership.workspace).open_to_researchers
    return PermissionDenied(REFUSED.format(others=" and its researchers" if open_ else ""))


def interviewed_by(user: User) -> Q:
    """The interviews `user` led or co-led (an interviewer of the team, not a notetaker)."""
    return Q(team__user=user, team__role=TeamRole.INTERVIEWER)


def may_see(membership: Membership, interview: Interview) -> bool:
    if membership.role_enum is Role.OBSERVER:
        return False
    if sees_all(membership):
        return True
    return TeamMember.objects.filter(
        interview=interview, user=membership.user, role=TeamRole.INTERVIEWER
    ).exists()


def get_coached_interview_for(request: WorkspaceRequest, ws: str, pk: int) -> Interview:
    """An interview whose report the user may see, or 404 (outsiders, other workspaces) or
    403 (members the rule leaves out)."""
    membership = membership_for(request, ws, Need.VIEW)
    interview = get_object_or_404(
        interviews_in(ws).select_related("study__workspace", "participant", "guide"), pk=pk
    )
    if not may_see(membership, interview):
        raise _refuse(membership)
    return interview


def visible_reports(membership: Membership) -> QuerySet[CoachReport]:
    """The reports of the workspace the member may see (none for observers)."""
    reports = CoachReport.objects.filter(interview__study__workspace=membership.workspace)
    if membership.role_enum is Role.OBSERVER:
        return reports.none()
    if sees_all(membership):
        return reports
    return reports.filter(interview__in=Interview.objects.filter(interviewed_by(membership.user)))


def get_person_for(request: WorkspaceRequest, ws: str, user_pk: int) -> Membership:
    """The membership of the interviewer whose trend is asked for: their own, or anyone's
    for those who see every report; 404 for someone outside the workspace."""
    membership = membership_for(request, ws, Need.VIEW)
    person = get_object_or_404(
        Membership.objects.select_related("user", "workspace"),
        workspace=membership.workspace,
        user_id=user_pk,
    )
    if membership.role_enum is Role.OBSERVER:
        raise _refuse(membership)
    if person.user_id != membership.user_id and not sees_all(membership):
        raise _refuse(membership)
    return person


def get_coached_study_for(request: WorkspaceRequest, ws: str, pk: int) -> Study:
    """A study whose coach figures the member may see (researchers see their own interviews'
    unless the workspace opens them all); observers 403."""
    membership = membership_for(request, ws, Need.VIEW)
    study = get_object_or_404(Study.objects.filter(workspace__slug=ws), pk=pk)
    if membership.role_enum is Role.OBSERVER:
        raise _refuse(membership)
    return study


def may_set_policy(membership: Membership) -> bool:
    return membership.role_enum.can_manage_members()
