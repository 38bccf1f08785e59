"""What every page may compare with: the enums, by name (`{% if x.status == MailStatus.SENT %}`).

Django's choices are not called by templates, so a template reads their members as Python does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from heard.accounts.models import InvitationMail, InvitationStatus, Role
from heard.followups.models import MailStatus
from heard.guides.models import QuestionPriority
from heard.guides.services import BudgetState
from heard.interviews.models import InterviewStatus, Mode, NoteKind, TeamRole
from heard.participants.csv_import import DuplicateChoice
from heard.participants.imports import ImportAction
from heard.participants.models import Recontact
from heard.studies.models import PointKind, StudyStatus
from heard.synthesis.findings.forms import PickBearing
from heard.synthesis.models import (
    Bearing,
    EvidenceBearing,
    ExportStatus,
    ReviewStatus,
    Stance,
    Voice,
)
from heard.webhooks.models import DeliveryStatus

CHOICES = {
    choices.__name__: choices
    for choices in (
        Bearing,
        BudgetState,
        DeliveryStatus,
        DuplicateChoice,
        EvidenceBearing,
        ExportStatus,
        ImportAction,
        InterviewStatus,
        InvitationMail,
        InvitationStatus,
        MailStatus,
        Mode,
        NoteKind,
        PickBearing,
        PointKind,
        QuestionPriority,
        Recontact,
        ReviewStatus,
        Role,
        Stance,
        StudyStatus,
        TeamRole,
        Voice,
    )
}


def choices(request: HttpRequest) -> dict[str, Any]:
    return CHOICES
