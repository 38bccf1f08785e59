"""Follow-up rules that views, tasks and other apps call: templates, drafts, sending.

Sending never happens in a request: `queue` hands the mail to a background task, and the task
claims it with a conditional update (queued → sending) before it talks to the mail server. A
double click, a second worker or a retry of a mail already on its way changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone

from heard.accounts.models import User, Workspace
from heard.core.busy import when_free
from heard.core.mail.message import new_message_id, one_line
from heard.core.mail.transports import DeliveryFailed, configured_transport
from heard.core.merge_fields import fill
from heard.followups.message import email_for
from heard.followups.models import (
    DEFAULT_BODY,
    DEFAULT_NAME,
    DEFAULT_SUBJECT,
    EDITABLE,
    MERGE_FIELDS,
    FollowUp,
    FollowUpTemplate,
    MailStatus,
    stuck_before,
)
from heard.interviews.models import SAID_KINDS, Interview, Note, NoteKind

logger = logging.getLogger(__name__)

SENDING_OFF = (
    "Sending is off: this Heard has no mail server set (HEARD_EMAIL_URL). Download the .eml "
    "file or open the email in your mail program instead."
)
STOPPED_MIDWAY = (
    "The sending stopped midway (Heard's background worker stopped while talking to the mail "
    "server): it may or may not have arrived. Check (with the customer, or in the mail server's "
    "log) before sending it again, or they may get it twice."
)
FAILURE_REASON_MAX_LENGTH = 2000
# Notes worth thanking the customer for; why-ladders and reminders to ourselves are not.
HIGHLIGHT_KINDS = SAID_KINDS


class SendingOff(Exception):
    """No mail server is configured."""


class MayHaveArrived(Exception):
    """An earlier attempt may have delivered the mail: sending again needs a yes."""


def sending_available() -> bool:
    return configured_transport() is not None


def templates_to_read(workspace: Workspace) -> list[FollowUpTemplate]:
    """The workspace's templates, or the built-in one unsaved when it has none: writes nothing."""
    templates = list(workspace.followup_templates.all())
    return templates or [
        FollowUpTemplate(
            workspace=workspace, name=DEFAULT_NAME, subject=DEFAULT_SUBJECT, body=DEFAULT_BODY
        )
    ]


def templates_for(workspace: Workspace) -> list[FollowUpTemplate]:
    """The workspace's templates, to write with or change: the built-in one is saved the first
    time none exists. Only for people who may edit; readers get `templates_to_read`."""
    templates = list(workspace.followup_templates.all())
    if templates:
        return templates
    try:
        with transaction.atomic():
            template, _ = FollowUpTemplate.objects.get_or_create(
                workspace=workspace,
                name=DEFAULT_NAME,
                defaults={"subject": DEFAULT_SUBJECT, "body": DEFAULT_BODY},
            )
    except IntegrityError:  # created by another request meanwhile
        template = FollowUpTemplate.objects.get(workspace=workspace, name=DEFAULT_NAME)
    return [template]


def highlight_notes(interview: Interview) -> list[Note]:
    """The notes of the call one could quote back to the customer: quotes first."""
    notes = interview.notes.filter(deleted_at__isnull=True, kind__in=HIGHLIGHT_KINDS)
    order = {str(kind): rank for rank, kind in enumerate(HIGHLIGHT_KINDS)}
    return sorted(notes, key=lambda note: (order[note.kind], note.elapsed_seconds))


def highlight_text(note: Note | None, typed: str = "") -> str:
    """What `{highlight}` becomes: the typed text, else the note (a quote in quotation marks)."""
    if typed.strip():
        return one_line(typed)
    if note is None:
        return ""
    text = one_line(note.text)
    return f"“{text}”" if note.kind == NoteKind.QUOTE else text


def merge_values(interview: Interview, highlight: str, sender: User) -> dict[str, str]:
    participant = interview.participant
    lead = interview.lead_interviewer
    interviewer = lead.display_name if lead else sender.name
    day = (
        timezone.localtime(interview.started_at, interview.zone)
        if interview.started_at
        else interview.local_start
    )
    return {
        "first_name": participant.first_name,
        "company": participant.company,
        "interviewer": interviewer,
        "study_topic": interview.study.title,
        "interview_date": dateformat.format(day, "j F Y"),
        "highlight": highlight or interview.study.title,
    }


def field_rows(values: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """Each merge field with what it means and, for one interview, what it becomes."""
    return [(name, meaning, (values or {}).get(name, "")) for name, meaning in MERGE_FIELDS.items()]


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str


def draft_from(template: FollowUpTemplate, values: Mapping[str, str]) -> Draft:
    return Draft(subject=one_line(fill(template.subject, values)), body=fill(template.body, values))


def plain_lines(text: str) -> str:
    """Line breaks as one newline each, however the browser sent them."""
    return "\n".join(text.splitlines())


def for_interview(interview: Interview) -> QuerySet[FollowUp]:
    return interview.followups.select_related("created_by", "sent_by").order_by(
        "-created_at", "-id"
    )


def create_draft(
    interview: Interview,
    author: User,
    *,
    to_email: str,
    subject: str,
    body: str,
    template: FollowUpTemplate | None = None,
) -> FollowUp:
    return FollowUp.objects.create(
        interview=interview,
        template=template,
        to_name=one_line(interview.participant.name),
        to_email=to_email.strip(),
        subject=one_line(subject),
        body=plain_lines(body),
        message_id=new_message_id(),
        created_by=author,
    )


def _move(
    followup_id: int, only_from: Collection[str], *, where: Q | None = None, **changes: Any
) -> bool:
    """Change a mail only while its status is one of `only_from` (and `where` holds), in one
    conditional UPDATE: of two requests or workers that race, exactly one wins."""
    mails = FollowUp.objects.filter(pk=followup_id, status__in=only_from)
    if where is not None:
        mails = mails.filter(where)
    changed = mails.update(updated_at=timezone.now(), **changes)
    return bool(changed)


def update_draft(followup: FollowUp, *, to_email: str, subject: str, body: str) -> bool:
    """Save changes, back to a draft; False if the mail left for the server meanwhile."""
    return _move(
        followup.pk,
        EDITABLE,
        to_email=to_email.strip(),
        subject=one_line(subject),
        body=plain_lines(body),
        status=MailStatus.DRAFT,
    )


def discard(followup: FollowUp) -> bool:
    deleted, _ = FollowUp.objects.filter(pk=followup.pk, status__in=EDITABLE).delete()
    return bool(deleted)


def queue(followup: FollowUp, sender: User, *, despite_doubt: bool = False) -> bool:
    """Hand a draft, or a mail that failed, to the background task; False if it is on its way.

    Raises SendingOff when no mail server is configured, and MayHaveArrived when an earlier
    attempt may have delivered it and the sender did not say to send it again anyway.
    """
    if not sending_available():
        raise SendingOff(SENDING_OFF)
    # The claim and the task are one transaction: a task that cannot be queued leaves the
    # mail as it was, never "queued" with nothing to send it.
    with transaction.atomic():
        claimed = _move(
            followup.pk,
            EDITABLE,
            where=None if despite_doubt else Q(may_have_arrived=False),
            status=MailStatus.QUEUED,
            queued_at=timezone.now(),
            sent_by=sender,
        )
        if claimed:
            from heard.followups.tasks import deliver_followup  # the task module imports this

            deliver_followup.enqueue(followup.pk)
    if not claimed and not despite_doubt:
        doubt = FollowUp.objects.filter(pk=followup.pk, status__in=EDITABLE, may_have_arrived=True)
        if doubt.exists():
            raise MayHaveArrived(followup.failure_reason)
    return claimed


def requeue_stranded(**_: Any) -> int:
    """Hand every mail still queued to a new task; run as a worker starts.

    A worker killed after it took a mail's task but before the task claimed the mail (queued
    → sending) leaves the task taken for ever and the mail queued, with no way to send it.
    Such a mail has not reached the mail server. A second task for a mail whose first task is
    still waiting changes nothing: only one of them can claim it.
    """
    from heard.followups.tasks import deliver_followup  # the task module imports this

    waiting = list(FollowUp.objects.filter(status=MailStatus.QUEUED).values_list("pk", flat=True))
    for followup_id in waiting:
        deliver_followup.enqueue(followup_id)
    return len(waiting)


def mark_sent_by_hand(followup: FollowUp, sender: User) -> bool:
    """Someone sent it from their own mail program (after downloading it or via mailto:)."""
    return _move(
        followup.pk,
        EDITABLE,
        status=MailStatus.SENT,
        sent_by_hand=True,
        sent_by=sender,
        sent_at=timezone.now(),
        failure_reason="",
    )


def deliver(followup_id: int) -> str:
    """Send one queued mail; the background task's whole job. Returns the status it ends in."""
    claimed = _move(
        followup_id,
        [MailStatus.QUEUED],
        status=MailStatus.SENDING,
        sending_since=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        status = FollowUp.objects.filter(pk=followup_id).values_list("status", flat=True).first()
        return status or "gone"
    followup = FollowUp.objects.select_related("interview", "sent_by", "created_by").get(
        pk=followup_id
    )
    # This attempt's number: a worker that outlived its attempt (given up as stuck, then sent
    # again) must not settle the next one.
    attempt = followup.attempts
    try:
        transport = configured_transport()
        if transport is None:
            raise DeliveryFailed(SENDING_OFF)
        transport.send(email_for(followup))
    except DeliveryFailed as error:
        return _finish(
            followup_id,
            attempt,
            MailStatus.FAILED,
            str(error),
            may_have_arrived=error.may_have_arrived,
        )
    except ValueError as error:  # a header Python's email package refuses to write
        return _finish(
            followup_id, attempt, MailStatus.FAILED, f"The email could not be written: {error}"
        )
    except Exception as error:
        # Whatever went wrong, the mail must not stay "sending": it can be retried.
        logger.exception("Sending follow-up %s failed", followup_id)
        return _finish(followup_id, attempt, MailStatus.FAILED, f"Unexpected error: {error}")
    return _finish(followup_id, attempt, MailStatus.SENT)


def _finish(
    followup_id: int,
    attempt: int,
    status: MailStatus,
    reason: str = "",
    *,
    may_have_arrived: bool = False,
) -> str:
    # The doubt stays once raised: a later attempt failing early does not undo an earlier one.
    doubt: dict[str, Any] = {"may_have_arrived": True} if may_have_arrived else {}
    # What the mail server answered is recorded even if the database is busy a while.
    finished = when_free(
        lambda: _move(
            followup_id,
            [MailStatus.SENDING],
            where=Q(attempts=attempt),
            status=status,
            failure_reason=reason[:FAILURE_REASON_MAX_LENGTH],
            sent_at=timezone.now() if status == MailStatus.SENT else None,
            **doubt,
        )
    )
    if not finished:  # settled by hand as stuck meanwhile (their word stands), or deleted
        logger.warning(
            "Follow-up %s ended %s (%s) after it was settled by hand", followup_id, status, reason
        )
    return status


def _stuck() -> Q:
    return Q(sending_since__isnull=True) | Q(sending_since__lt=stuck_before())


def give_up(followup: FollowUp) -> bool:
    """Fail a mail stuck sending, so it can be sent again; False unless it is (still) stuck.

    Only a mail sending for longer than STUCK_AFTER qualifies, so a late click cannot fail a
    new attempt that started after it was given up and sent again.
    """
    return _move(
        followup.pk,
        [MailStatus.SENDING],
        where=_stuck(),
        status=MailStatus.FAILED,
        failure_reason=STOPPED_MIDWAY,
        may_have_arrived=True,
    )


def mark_arrived(followup: FollowUp) -> bool:
    """Someone checked: the mail stuck sending, or failed in doubt, did arrive. Kept as sent
    from when the attempt started; False if it moved on meanwhile."""
    return _move(
        followup.pk,
        [MailStatus.SENDING, MailStatus.FAILED],
        where=(Q(status=MailStatus.SENDING) & _stuck())
        | Q(status=MailStatus.FAILED, may_have_arrived=True),
        status=MailStatus.SENT,
        sent_at=Coalesce(F("sending_since"), Value(timezone.now())),
        failure_reason="",
    )
