"""Who may see or change an interview: the one place interview views ask.

An interview belongs to a workspace through its study. Someone outside that workspace gets 404
for the interview and for everything under it (team, checklist, invitation); an observer gets
403 for any change.
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from heard.accounts.access import Need, membership_for, memberships, require
from heard.accounts.models import Role, User
from heard.accounts.requests import WorkspaceRequest
from heard.interviews.models import ChecklistItem, Interview, Recording, TeamMember, Transcript


def interviews_in(ws: str) -> QuerySet[Interview]:
    """The query behind every interview check: the interviews of workspace `ws`, through their
    study."""
    return Interview.objects.filter(study__workspace__slug=ws)


def get_interview_for(
    request: WorkspaceRequest, ws: str, pk: int, need: Need = Need.VIEW
) -> Interview:
    membership_for(request, ws, need)
    return get_object_or_404(
        interviews_in(ws).select_related("study", "participant", "guide"), pk=pk
    )


def open_interview(user: User, ws: str, pk: int, need: Need = Need.VIEW) -> tuple[Interview, Role]:
    """The same rule as `get_interview_for`, in one small query (related rows load when
    used): for the live call's API, which every screen calls several times a minute.
    Returns the interview and the user's role."""
    role = memberships(user, OuterRef("study__workspace")).order_by().values("role")[:1]
    interview = (
        interviews_in(ws).annotate(member_role=Subquery(role)).filter(pk=pk).order_by().first()
    )
    if interview is None or interview.member_role is None:
        raise Http404
    member_role = Role(interview.member_role)
    require(member_role, need)
    return interview, member_role


def _of_interview[T: (TeamMember, ChecklistItem, Recording, Transcript)](
    request: WorkspaceRequest,
    ws: str,
    interview_pk: int,
    pk: int,
    need: Need,
    found_in: QuerySet[T],
) -> T:
    """A thing of an interview, looked up within the interview the access check found."""
    interview = get_interview_for(request, ws, interview_pk, need)
    thing = get_object_or_404(found_in, interview=interview, pk=pk)
    thing.interview = interview
    return thing


def get_team_member_for(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int, need: Need = Need.VIEW
) -> TeamMember:
    found_in = TeamMember.objects.select_related("user")
    return _of_interview(request, ws, interview_pk, pk, need, found_in)


def get_checklist_item_for(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int, need: Need = Need.VIEW
) -> ChecklistItem:
    return _of_interview(request, ws, interview_pk, pk, need, ChecklistItem.objects.all())


def get_recording_for(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int, need: Need = Need.VIEW
) -> Recording:
    found_in = Recording.objects.select_related("uploaded_by")
    return _of_interview(request, ws, interview_pk, pk, need, found_in)


def get_transcript_for(
    request: WorkspaceRequest, ws: str, interview_pk: int, pk: int, need: Need = Need.VIEW
) -> Transcript:
    found_in = Transcript.objects.select_related("recording", "created_by")
    return _of_interview(request, ws, interview_pk, pk, need, found_in)
