"""The live call: notes, question states, the event log every screen follows, who is there."""

from __future__ import annotations

import uuid

from django.db import models

from heard.accounts.models import User
from heard.interviews.models.schedule import Interview


class NoteKind(models.TextChoices):
    NOTE = "note", "Note"
    PAIN = "pain", "Pain"
    SOLUTION_REQUEST = "solution_request", "Solution request"
    QUOTE = "quote", "Quote"
    KPI = "kpi", "KPI"
    COMPETITION = "competition", "Competition"
    FOLLOW_UP = "follow_up", "Follow-up"
    WHY = "why", "Why?"


# The kinds of note that say what the customer said, best first: not a step of a why-ladder
# (which belongs to its solution request) nor a follow-up (a reminder to ourselves). Follow-up
# mail quotes them back; a highlight of the transcript is one of them.
SAID_KINDS = (
    NoteKind.QUOTE,
    NoteKind.PAIN,
    NoteKind.KPI,
    NoteKind.SOLUTION_REQUEST,
    NoteKind.COMPETITION,
    NoteKind.NOTE,
)


class NoteSource(models.TextChoices):
    """Where a note comes from: typed during the call, or a highlight made afterwards by
    selecting words in the call's transcript."""

    CALL = "call", "Noted during the call"
    RECORDING = "recording", "Highlighted in the transcript"


NOTE_MAX_LENGTH = 10_000


def minutes_label(seconds: float) -> str:
    """`12:07`, or `1:02:07` from an hour: a time into the call or the recording."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:02}:{secs:02}"


MAX_WHYS = 5


class Note(models.Model):
    """Something noted during the call, stamped with the time into the interview.

    The id is made by the browser that typed the note, so that saving it again (after a
    network cut or a server restart) updates the same row instead of adding a second one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=NoteKind.choices, default=NoteKind.NOTE)
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    elapsed_seconds = models.PositiveIntegerField(
        default=0, help_text="Seconds into the interview when the note was taken."
    )
    # A question that notes were tied to is archived, never deleted (`core.archiving`).
    question = models.ForeignKey(
        "guides.Question", on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    ladder_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ladder",
        help_text="The solution request whose why-ladder this step belongs to.",
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A highlight (source RECORDING): its words are `text`, word for word as the transcript
    # had them; the transcript and first line they were selected in, their time range on the
    # recording in ms, who said them (the label kept should the speaker row go), and the
    # validation points the team says they bear on. `elapsed_seconds` is the start on the
    # call's clock, so that highlights fall in line with the call's notes.
    source = models.CharField(max_length=10, choices=NoteSource.choices, default=NoteSource.CALL)
    transcript = models.ForeignKey(
        "interviews.Transcript",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="highlights",
    )
    segment = models.ForeignKey(
        "interviews.Segment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="highlights",
    )
    start_ms = models.PositiveIntegerField(null=True, blank=True)
    end_ms = models.PositiveIntegerField(null=True, blank=True)
    speaker = models.ForeignKey(
        "interviews.TranscriptSpeaker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    speaker_label = models.CharField(max_length=150, blank=True)
    points = models.ManyToManyField(
        "studies.ValidationPoint", blank=True, related_name="highlights"
    )

    class Meta:
        ordering = ("elapsed_seconds", "created_at")
        indexes = (
            # An interview's notes in the order they were taken.
            models.Index(fields=("interview", "elapsed_seconds"), name="note_timeline_idx"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_quote(self) -> bool:
        return self.kind == NoteKind.QUOTE

    @property
    def elapsed_label(self) -> str:
        minutes, seconds = divmod(self.elapsed_seconds, 60)
        return f"{minutes:02d}:{seconds:02d}"

    @property
    def is_highlight(self) -> bool:
        return self.source == NoteSource.RECORDING

    @property
    def recording_label(self) -> str:
        """A highlight's start on the recording, "" where the transcript has no times."""
        return "" if self.start_ms is None else minutes_label(self.start_ms / 1000)


class QuestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ASKED = "asked", "Asked"
    ANSWERED = "answered", "Answered"
    COVERED = "covered", "Already covered"
    SKIPPED = "skipped", "Skipped"


class QuestionState(models.Model):
    """Where one guide question stands in this interview. Last write wins."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="question_states"
    )
    question = models.ForeignKey("guides.Question", on_delete=models.PROTECT, related_name="states")
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("interview", "question"), name="question_state_once_per_interview"
            ),
        )

    def __str__(self) -> str:
        return f"{self.question_id}: {self.status}"


class LiveEvent(models.Model):
    """One change during the call, appended in the same transaction as the change itself.

    Every screen of the interview reads the events after the last id it has seen: the
    log is what keeps several browsers, and several server processes, in step.
    """

    id = models.BigAutoField(primary_key=True)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        indexes = (
            # A screen catching up: an interview's events after a cursor.
            models.Index(fields=("interview", "id"), name="live_event_cursor_idx"),
        )

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class Presence(models.Model):
    """Who has the live screen open, refreshed while they follow the events."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="presence")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("interview", "user"), name="presence_once_per_user"),
        )

    def __str__(self) -> str:
        return f"{self.user_id} at {self.last_seen}"


class QueuedQuestion(models.Model):
    """A guest's question, kept for the team's reserve at the end of the call."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="queued_questions"
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.CharField(max_length=1000)
    asked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.text[:60]
