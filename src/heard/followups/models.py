"""Follow-up emails: the workspace's templates, and the mails kept on each interview."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.interviews.models import Interview

# The fields a template may use, and what each becomes: shown on the template pages.
MERGE_FIELDS = {
    "first_name": "the participant's first name",
    "company": "the participant's company",
    "interviewer": "the interviewer's name (yours if the interview had none)",
    "study_topic": "the study's title",
    "interview_date": "the day of the interview, e.g. 12 March 2026",
    "highlight": "the quote or topic you pick when you write the email",
}

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000

DEFAULT_NAME = "Thank you, and may we ask more?"
DEFAULT_SUBJECT = "Thank you for your time, {first_name}"
DEFAULT_BODY = """Hi {first_name},

Thank you for taking the time to talk with us on {interview_date} about {study_topic}. \
Hearing how things really work on your side is the most useful thing we can get.

One thing that stayed with us: {highlight}

As we work through what we learned, would it be all right if we reached out with a few more \
questions? A quick yes, no or "not yet" is perfect.

Thanks again,
{interviewer}
"""


def validate_one_line(value: str) -> None:
    """Subjects and names go into mail headers, where a line break would start a new header."""
    if "\n" in value or "\r" in value:
        raise ValidationError("Keep it on one line.")


class FollowUpTemplate(models.Model):
    """A workspace's wording for follow-up emails, with fields in braces filled in per interview."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="followup_templates"
    )
    name = models.CharField(max_length=120, validators=[validate_one_line])
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH, validators=[validate_one_line])
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("workspace", "name"), name="followup_template_name_once"
            ),
        )

    def __str__(self) -> str:
        return self.name


class MailStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


# A mail can be changed, sent or thrown away only before it is handed to the mail server.
EDITABLE = (MailStatus.DRAFT, MailStatus.FAILED)

# One attempt talks to the mail server in about ten steps (connect, EHLO, STARTTLS, login,
# MAIL, RCPT, DATA, the message, QUIT), each limited to the transport's timeout (30 s): at most
# about five minutes. A mail still "sending" after twice that lost its worker midway.
STUCK_AFTER = datetime.timedelta(minutes=10)


class FollowUp(models.Model):
    """One follow-up email to the interviewed customer, kept on the interview once sent.

    Its status only moves forward through conditional updates (draft or failed → queued →
    sending → sent or failed), so that a double click or two workers cannot send it twice.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="followups")
    template = models.ForeignKey(
        FollowUpTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_name = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    to_email = models.EmailField("to")
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH, validators=[validate_one_line])
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.DRAFT)
    failure_reason = models.TextField(
        blank=True, help_text="What the mail server (or the network) said when sending failed."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    message_id = models.CharField(
        max_length=255, help_text="The Message-ID header, the same on every attempt."
    )
    sent_by_hand = models.BooleanField(
        default=False, help_text="Sent from someone's own mail program, not by Heard."
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(
        null=True, blank=True, help_text="When the last attempt started talking to the server."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    may_have_arrived = models.BooleanField(
        default=False,
        help_text="An attempt broke off after the mail server may have taken the mail: sending "
        "it again may deliver a second copy.",
    )

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            # An interview's follow-ups, newest first (interview page, follow-up pages).
            models.Index(fields=("interview", "-created_at"), name="followup_interview_idx"),
        )

    def __str__(self) -> str:
        return f"{self.subject} ({self.status})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_on_its_way(self) -> bool:
        return self.status == MailStatus.QUEUED or (
            self.status == MailStatus.SENDING and not self.is_stuck
        )

    @property
    def is_stuck(self) -> bool:
        """Sending for longer than any attempt can take: its worker stopped midway."""
        return self.status == MailStatus.SENDING and (
            self.sending_since is None or self.sending_since < stuck_before()
        )


def stuck_before() -> datetime.datetime:
    """A mail still sending that started before this moment is stuck."""
    return timezone.now() - STUCK_AFTER
