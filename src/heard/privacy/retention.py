"""How long a workspace keeps what its interviews recorded (`RetentionPolicy`), and the work
that applies it: each held interview's recordings, transcripts or whole self go once they are
older than the policy says, counted from the interview's end (its start, for a call not run on
the live screen), unless an owner holds the interview (`RetentionHold`). A worker applies the
policies every hour (`tasks.apply_retention`); each interview page says what goes when."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.models import AuditAction, User, Workspace
from heard.interviews.models import Interview, InterviewStatus, Recording, Transcript
from heard.interviews.recordings.services import delete_recording
from heard.privacy.models import RetentionHold, RetentionPolicy
from heard.synthesis.findings.services import record_removed
from heard.synthesis.models import Evidence

RETENTION_WHY = "Its interview was deleted by the workspace's retention policy"
RETENTION_WORDS = "(not kept: deleted by the retention policy)"


def policy_of(workspace: Workspace) -> RetentionPolicy:
    """The workspace's policy (keep everything, until an owner sets one)."""
    found = RetentionPolicy.objects.filter(workspace=workspace).first()
    return found if found is not None else RetentionPolicy(workspace=workspace)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the month's last day where
    that month is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_after(moment: datetime.datetime, months: int) -> datetime.datetime:
    return months_before(moment, -months)


def held_at(interview: Interview) -> datetime.datetime:
    """When the retention periods start: the call's end, or its time when it was not run on
    the live screen."""
    return interview.ended_at or interview.starts_at


def _kept(workspace: Workspace, now: datetime.datetime) -> QuerySet[Interview]:
    """The workspace's held interviews the policy applies to: those no owner holds today."""
    holding = Q(retention_hold__isnull=False) & (
        Q(retention_hold__until__isnull=True) | Q(retention_hold__until__gte=now.date())
    )
    return Interview.objects.filter(
        study__workspace=workspace, status=InterviewStatus.DONE
    ).exclude(holding)


def _held_before(moment: datetime.datetime) -> Q:
    """Interviews held (by `held_at`) at `moment` or before."""
    return Q(ended_at__lte=moment) | Q(ended_at__isnull=True, starts_at__lte=moment)


@dataclass
class Due:
    recordings: QuerySet[Recording]
    transcripts: QuerySet[Transcript]
    interviews: QuerySet[Interview]

    def counts(self) -> dict[str, int]:
        return {
            "recordings": self.recordings.count(),
            "recording_bytes": int(self.recordings.aggregate(total=Sum("size"))["total"] or 0),
            "transcripts": self.transcripts.count(),
            "interviews": self.interviews.count(),
        }


def due(policy: RetentionPolicy, now: datetime.datetime) -> Due:
    """What `policy` deletes at `now`."""
    interviews = _kept(policy.workspace, now)
    nothing = Interview.objects.none()
    recordings_of = (
        interviews.filter(_held_before(now - datetime.timedelta(days=policy.recordings_days)))
        if policy.recordings_days is not None
        else nothing
    )
    transcripts_of = (
        interviews.filter(_held_before(now - datetime.timedelta(days=policy.transcripts_days)))
        if policy.transcripts_days is not None
        else nothing
    )
    whole = (
        interviews.filter(_held_before(months_before(now, policy.interviews_months)))
        if policy.interviews_months is not None
        else nothing
    )
    gone = Q(interview__in=whole.values("pk"))
    return Due(
        Recording.objects.filter(Q(interview__in=recordings_of.values("pk")) | gone),
        Transcript.objects.filter(Q(interview__in=transcripts_of.values("pk")) | gone),
        whole,
    )


def apply(
    policy: RetentionPolicy, now: datetime.datetime | None = None, *, by: User | None = None
) -> dict[str, int]:
    """Delete what `policy` says is due; how much of each kind went. What went is in the
    audit log, by `by` (an owner whose change applied it at once) or by Heard."""
    now = now or timezone.now()
    found = due(policy, now)
    counts = found.counts()
    for recording in list(found.recordings):
        delete_recording(recording)
    with transaction.atomic():
        Transcript.objects.filter(
            pk__in=list(found.transcripts.values_list("pk", flat=True))
        ).delete()
        for interview in list(found.interviews):
            _delete_interview(interview)
        if any(counts[key] for key in ("recordings", "transcripts", "interviews")):
            audit.record(
                policy.workspace,
                by,
                AuditAction.RETENTION_APPLIED,
                target=policy,
                target_label="the retention policy",
                recordings=counts["recordings"],
                recording_bytes=counts["recording_bytes"],
                transcripts=counts["transcripts"],
                interviews=counts["interviews"],
            )
    return counts


def apply_all(now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every workspace's policy."""
    total: dict[str, int] = {}
    for policy in RetentionPolicy.objects.select_related("workspace"):
        if policy.is_set:
            for key, value in apply(policy, now).items():
                total[key] = total.get(key, 0) + value
    return total


def _delete_interview(interview: Interview) -> None:
    """An interview past the policy, whole: the findings' evidence from it is recorded as
    lost (without its words, which the policy said to delete), then the interview goes with
    everything of it."""
    evidence = list(
        Evidence.objects.filter(
            Q(quote__point_summary__summary__interview=interview)
            | Q(point_summary__summary__interview=interview)
        ).select_related("finding")
    )
    record_removed(evidence, None, RETENTION_WHY, words=RETENTION_WORDS)
    Evidence.objects.filter(pk__in=[e.pk for e in evidence]).delete()
    interview.delete()


@dataclass
class Deadline:
    what: str
    when: datetime.datetime

    @property
    def days_left(self) -> int:
        return max(0, (self.when - timezone.now()).days)


def released(hold: RetentionHold | None) -> datetime.datetime | None:
    """When a hold with a day stops keeping its interview: the start of the next day (as
    `_kept` counts days, in UTC); None for no hold or one without a day."""
    if hold is None or hold.until is None:
        return None
    return datetime.datetime.combine(
        hold.until + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )


def deadlines(
    interview: Interview, policy: RetentionPolicy, hold: RetentionHold | None = None
) -> list[Deadline]:
    """When the policy deletes what of `interview` (none for an interview not held yet): not
    before `hold`, the interview's hold, ends."""
    if interview.status != InterviewStatus.DONE or not policy.is_set:
        return []
    found = _deadlines(interview, policy)
    after = released(hold)
    if after is not None:
        found = [Deadline(each.what, max(each.when, after)) for each in found]
    return sorted(found, key=lambda deadline: deadline.when)


def _deadlines(interview: Interview, policy: RetentionPolicy) -> list[Deadline]:
    start = held_at(interview)
    found = []
    if policy.recordings_days is not None and interview.recordings.exists():
        found.append(Deadline("recording", start + datetime.timedelta(days=policy.recordings_days)))
    if policy.transcripts_days is not None and interview.transcripts.exists():
        found.append(
            Deadline("transcript", start + datetime.timedelta(days=policy.transcripts_days))
        )
    if policy.interviews_months is not None:
        found.append(Deadline("whole interview", months_after(start, policy.interviews_months)))
    return found


def set_policy(
    workspace: Workspace,
    by: User,
    *,
    recordings_days: int | None,
    transcripts_days: int | None,
    interviews_months: int | None,
) -> RetentionPolicy:
    policy = policy_of(workspace)
    policy.recordings_days = recordings_days
    policy.transcripts_days = transcripts_days
    policy.interviews_months = interviews_months
    policy.updated_by = by
    policy.updated_at = timezone.now()
    policy.save()
    return policy


def hold(
    interview: Interview, by: User, *, until: datetime.date | None, reason: str
) -> RetentionHold:
    found, _ = RetentionHold.objects.update_or_create(
        interview=interview,
        defaults={"until": until, "reason": reason.strip(), "set_by": by, "set_at": timezone.now()},
    )
    return found


def release(interview: Interview) -> None:
    RetentionHold.objects.filter(interview=interview).delete()
