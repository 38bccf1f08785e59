"""Interview rules: what is coming up and how ready the team is for it."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from heard.accounts.models import Workspace
from heard.interviews.models import Interview, InterviewStatus


def with_readiness(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    """Annotate checklist_total and checklist_done, in the same query as the interviews."""
    return interviews.annotate(
        checklist_total=Count("checklist", distinct=True),
        checklist_done=Count(
            "checklist", filter=Q(checklist__done_at__isnull=False), distinct=True
        ),
    )


def upcoming(workspace: Workspace) -> QuerySet[Interview]:
    """Scheduled interviews that have not ended yet, soonest first."""
    now = timezone.now()
    return with_readiness(
        Interview.objects.filter(
            study__workspace=workspace,
            status__in=(InterviewStatus.SCHEDULED, InterviewStatus.LIVE),
            starts_at__gte=now - timedelta(hours=3),
        ).select_related("participant", "study")
    ).order_by("starts_at", "id")
