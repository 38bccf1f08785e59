"""The coach's rules: when a report is wanted, computing it, and the workspace's policy."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from heard.accounts.models import Workspace
from heard.coach.call import gather
from heard.coach.measures import Standards
from heard.coach.models import CoachPolicy, CoachReport
from heard.coach.report import VERSION, compute
from heard.interviews.models import Interview, TeamMember, Transcript
from heard.interviews.signals import evidence_changed

logger = logging.getLogger(__name__)


def policy_of(workspace: Workspace) -> CoachPolicy:
    """The workspace's coaching policy (the defaults until an owner changes it)."""
    found = CoachPolicy.objects.filter(workspace=workspace).first()
    return found if found is not None else CoachPolicy(workspace=workspace)


def standards_of(workspace: Workspace) -> Standards:
    return Standards(customer_share=policy_of(workspace).customer_share_target / 100)


def has_evidence(interview: Interview) -> bool:
    """Whether the coach has something to read: a call held (on the live screen or marked
    done) or a transcript."""
    return interview.started_at is not None or interview.is_done or interview.transcripts.exists()


def want(interview_id: int, *, create: bool = True) -> None:
    """Ask for the interview's report to be computed again, in the background, once the
    caller's transaction commits. `wanted_at` is stamped in the caller's transaction (so a
    worker killed before the task runs leaves the row stale, which `requeue_stale` finds) and
    again as it commits: a computation that began between the two read the evidence as it
    was and stays stale. `create` False: only where a report was already asked for (an
    interview being deleted must not gain one)."""
    now = timezone.now()
    updated = CoachReport.objects.filter(interview_id=interview_id).update(wanted_at=now)
    if not updated:
        if not create:
            return
        CoachReport.objects.get_or_create(interview_id=interview_id, defaults={"wanted_at": now})
    transaction.on_commit(lambda: _committed(interview_id), robust=True)


def _committed(interview_id: int) -> None:
    from heard.coach.tasks import compute_report  # it imports this module

    CoachReport.objects.filter(interview_id=interview_id).update(wanted_at=timezone.now())
    compute_report.enqueue(interview_id)


def recompute(interview_id: int) -> str:
    """Compute the interview's report and put it in place of the old one at once. A report
    already computed from after it was last wanted is left as it is ("fresh"); one that a
    computation begun later saved meanwhile wins ("overtaken"). A failure is kept on the row
    ("failed"): the page says so instead of waiting for ever."""
    began = timezone.now()
    row = CoachReport.objects.filter(interview_id=interview_id).first()
    if row is not None and not row.is_stale and row.version == VERSION and row.is_ready:
        return "fresh"
    interview = (
        Interview.objects.select_related("study__workspace", "participant", "guide")
        .filter(pk=interview_id)
        .first()
    )
    if interview is None:
        return "gone"
    try:
        # A savepoint: a failure here never spoils the transaction of whoever queued it.
        with transaction.atomic():
            return _save(interview, began)
    except DatabaseError:
        raise  # a busy or broken database: the task fails and is tried again
    except Exception as error:
        logger.exception("The coach's report of interview %s failed", interview_id)
        CoachReport.objects.filter(interview_id=interview_id).update(
            failure=f"{type(error).__name__}: {error}"[:500],
            computed_from=began,
            computed_at=timezone.now(),
        )
        return "failed"


def _save(interview: Interview, began: datetime) -> str:
    call = gather(interview)
    report = compute(call, standards_of(interview.study.workspace))
    lead = interview.lead_interviewer
    trend = report.trend
    fields: dict[str, Any] = {
        "interviewer_id": lead.user_id if lead is not None else None,
        "transcript_id": call.transcript_id,
        "version": VERSION,
        "data": report.to_json(),
        "computed_from": began,
        "computed_at": timezone.now(),
        "failure": "",
        **{name: getattr(trend, name) for name in TREND_FIELDS},
    }
    locked = CoachReport.objects.select_for_update().filter(interview_id=interview.pk).first()
    if locked is not None and locked.computed_from is not None and locked.computed_from > began:
        return "overtaken"
    CoachReport.objects.update_or_create(interview_id=interview.pk, defaults=fields)
    return "computed"


TREND_FIELDS = (
    "minutes",
    "customer_share",
    "questions",
    "leading",
    "hypothetical",
    "pitching",
    "leading_per_hour",
    "hypothetical_per_hour",
    "why_depth",
    "must_missed",
)


def _evidence_changed(interview_id: int, **_: Any) -> None:
    interview = Interview.objects.filter(pk=interview_id).first()
    if interview is not None and has_evidence(interview):
        want(interview_id)


def _team_changed(instance: TeamMember, **_: Any) -> None:
    """Who led the call decides whose trend a report counts in: a report asked for already
    is computed again (an interview being deleted gains none)."""
    want(instance.interview_id, create=False)


def policy_changed(workspace: Workspace) -> int:
    """The workspace's aim changed: its reports are computed again against the new one."""
    wanted = list(
        CoachReport.objects.filter(interview__study__workspace=workspace).values_list(
            "interview_id", flat=True
        )
    )
    for interview_id in wanted:
        want(interview_id, create=False)
    return len(wanted)


def _transcript_deleted(instance: Transcript, **_: Any) -> None:
    want(instance.interview_id, create=False)


def requeue_stale(**_: Any) -> int:
    """Queue again the reports wanted and never computed since (a worker killed mid-way)."""
    from django.db.models import F, Q

    stale = list(
        CoachReport.objects.filter(
            Q(computed_from__isnull=True) | Q(wanted_at__gt=F("computed_from")),
            wanted_at__isnull=False,
        ).values_list("interview_id", flat=True)
    )
    for interview_id in stale:
        want(interview_id)
    return len(stale)


def connect() -> None:
    from heard.coach.trends import coach_sheet
    from heard.core.worker import worker_starting
    from heard.synthesis.matrix.spreadsheet import EXTRA_SHEETS

    if coach_sheet not in EXTRA_SHEETS:
        EXTRA_SHEETS.append(coach_sheet)
    evidence_changed.connect(_evidence_changed, dispatch_uid="coach.evidence_changed")
    post_delete.connect(
        _transcript_deleted, sender=Transcript, dispatch_uid="coach.transcript_deleted"
    )
    post_save.connect(_team_changed, sender=TeamMember, dispatch_uid="coach.team_saved")
    post_delete.connect(_team_changed, sender=TeamMember, dispatch_uid="coach.team_deleted")
    worker_starting.connect(requeue_stale, dispatch_uid="coach.requeue_stale")
