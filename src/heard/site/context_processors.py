"""What every page may compare with: the enums, by name (`{% if x.status == MailStatus.SENT %}`).

Django's choices are not called by templates, so a template reads their members as Python does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from heard.accounts.models import InvitationStatus, Role
from heard.followups.models import MailStatus
from heard.guides.models import QuestionPriority
from heard.interviews.models import InterviewStatus, Mode, NoteKind, TeamRole
from heard.studies.models import StudyStatus

CHOICES = {
    choices.__name__: choices
    for choices in (
        InterviewStatus,
        InvitationStatus,
        MailStatus,
        Mode,
        NoteKind,
        QuestionPriority,
        Role,
        StudyStatus,
        TeamRole,
    )
}


def choices(request: HttpRequest) -> dict[str, Any]:
    return CHOICES
