"""Who may see or change an interview: the one place interview views ask.

An interview belongs to a workspace through its study. Someone outside that workspace gets 404
for the interview and for everything under it (team, checklist, invitation); an observer gets
403 for any change.
"""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from heard.accounts import sessions
from heard.accounts.access import Need, membership_for, memberships, require
from heard.accounts.models import Membership, Role, User, Workspace
from heard.accounts.requests import WorkspaceRequest
from heard.core.statements import Columns, column, table, written
from heard.interviews.models import ChecklistItem, Interview, Recording, TeamMember, Transcript
from heard.studies.models import Study


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


_USER = Columns(User, "u")
_INTERVIEW = Columns(Interview, "i")


def _session_sql(c: BaseDatabaseWrapper) -> str:
    """The session row, the user, the interview and the user's role in its workspace: one
    statement."""
    return (
        f"SELECT s.{column(Session, 'session_data', c)}, {_USER.sql(c)}, {_INTERVIEW.sql(c)}, "  # noqa: S608 - names from the models
        f"m.{column(Membership, 'role', c)} "
        f"FROM {table(Session, c)} s "
        f"CROSS JOIN {table(User, c)} u "
        f"CROSS JOIN {table(Interview, c)} i "
        f"JOIN {table(Study, c)} st ON st.id = i.{column(Interview, 'study', c)} "
        f"JOIN {table(Workspace, c)} w ON w.id = st.{column(Study, 'workspace', c)} "
        f"LEFT JOIN {table(Membership, c)} m "
        f"ON m.{column(Membership, 'workspace', c)} = w.id "
        f"AND m.{column(Membership, 'user', c)} = u.id "
        f"WHERE s.{column(Session, 'session_key', c)} = %s "
        f"AND s.{column(Session, 'expire_date', c)} > %s "
        f"AND u.id = %s AND i.id = %s AND w.{column(Workspace, 'slug', c)} = %s"
    )


def open_for_session(
    request: HttpRequest, ws: str, pk: int, need: Need = Need.VIEW
) -> tuple[Interview, User, Role] | None:
    """`open_interview` for the request's session, with the session and its user read in the
    same statement (`accounts.sessions`): the live call's API, on every save. None when this
    cannot say (a session key not seen before in this process, a session gone or changed, an
    interview not found): the caller then goes the usual way, which answers as it always has.
    """
    key = sessions.session_key(request)
    user_id = sessions.user_id_of(key) if key else None
    if key is None or user_id is None:
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    session_field = Session._meta.get_field("expire_date")
    now = session_field.get_db_prep_value(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(written("session access", _session_sql), [key, now, user_id, pk, ws])
        row = cursor.fetchone()
    if row is None:
        return None
    session_data, role = row[0], row[-1]
    user = _USER.make(row[1 : 1 + len(_USER)], connection)
    if not sessions.holds(session_data, user):
        return None
    if role is None:
        raise Http404
    interview = _INTERVIEW.make(row[1 + len(_USER) : -1], connection)
    member_role = Role(role)
    require(member_role, need)
    return interview, user, member_role


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
