"""Interview summaries: one per interview, and per validation point a cell of the matrix.

One `PointSummary` per interview and validation point is the cell of the synthesis matrix
(interviews by points): its stance, its quotes ("What they said") and its interpretation
("What we heard").
"""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User
from heard.interviews.models import (
    NOTE_MAX_LENGTH,
    Interview,
    Note,
    NoteKind,
    Recording,
    SpeakerRole,
    TranscriptSpeaker,
    minutes_label,
)
from heard.studies.models import ValidationPoint


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class Summary(models.Model):
    """What one interview told us, written by the team once the call is over."""

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="summary")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(
        max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    main_pains = models.TextField(
        "main pains",
        blank=True,
        help_text="The customer's main pains, and how they measure them.",
    )
    solution_requests = models.TextField(
        "solution requests",
        blank=True,
        help_text="What they asked for, and the root pain the why-ladder reached.",
    )
    surprises = models.TextField(
        blank=True, help_text="What we did not expect to hear. Often the most useful part."
    )
    follow_ups = models.TextField(
        "open follow-ups", blank=True, help_text="What we promised, or still have to ask."
    )
    measures = models.JSONField(
        default=dict,
        blank=True,
        help_text="The pain each KPI note measures, where the team chose it: the KPI note's id "
        '→ the pain note\'s id, or "" for none. Other KPIs go with the pain noted near them.',
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_checks = models.JSONField(
        default=list,
        blank=True,
        help_text="The objectivity checks that were shown, and confirmed, when it was marked final.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "summaries"

    def __str__(self) -> str:
        return f"Summary of {self.interview}"

    @property
    def is_final(self) -> bool:
        return self.status == SummaryStatus.FINAL


class Stance(models.TextChoices):
    """Where the interview leaves a validation point. A person picks it; Heard never does."""

    UNSET = "unset", "Not set yet"
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    MIXED = "mixed", "Mixed"
    SILENT = "silent", "Silent"


class PointSummary(models.Model):
    """One validation point as this interview left it: a cell of the synthesis matrix."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="points")
    # A point a summary spoke to is archived, never deleted (`core.archiving`).
    point = models.ForeignKey(ValidationPoint, on_delete=models.PROTECT, related_name="summaries")
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.UNSET)
    what_we_heard = models.TextField(
        "what we heard", blank=True, help_text="The team's interpretation, in its own words."
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("point__position", "point_id")
        constraints = (
            models.UniqueConstraint(fields=("summary", "point"), name="point_summary_once"),
        )

    def __str__(self) -> str:
        return f"{self.point.label}: {self.stance}"


class Bearing(models.TextChoices):
    """Whether a quote speaks for or against its point: set by a person, used by the checks."""

    UNMARKED = "unmarked", "Not marked"
    FOR = "for", "For"
    AGAINST = "against", "Against"


class Voice(models.TextChoices):
    """Whose words a quote shows (`Quote.voice`): every page and export that shows a quote
    marks it by this, so that nothing reads as the customer's words unless it is."""

    THEIRS = "theirs", "Their words"
    EDITED = "edited", "Their words, edited by the team"
    TEAM = "team", "The team's note, not their words"


class Quote(models.Model):
    """What they said, word for word, traced back to the note, or to the highlight of the
    transcript it was picked from (a note too: `Note.source`).

    A quote may also be picked from a note the team wrote in its own words (a pain, a KPI…):
    `voice` tells the two apart, and whether the team changed the words since."""

    point_summary = models.ForeignKey(PointSummary, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    note = models.ForeignKey(
        Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    source_text = models.TextField(
        help_text="The note's words when the quote was picked, kept if the note goes."
    )
    source_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds into the interview when it was said."
    )
    # A quote from a highlight of the transcript: where on which recording it was said and
    # by whom, kept if the highlight goes (times in ms on the recording).
    from_transcript = models.BooleanField(default=False)
    recording = models.ForeignKey(
        Recording, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start_ms = models.PositiveIntegerField(null=True, blank=True)
    end_ms = models.PositiveIntegerField(null=True, blank=True)
    speaker = models.ForeignKey(
        TranscriptSpeaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaker_label = models.CharField(max_length=150, blank=True)
    bearing = models.CharField(max_length=10, choices=Bearing.choices, default=Bearing.UNMARKED)
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("position", "id")
        constraints = (
            # Picking the same note twice for a point (two people at once) keeps one quote.
            models.UniqueConstraint(
                fields=("point_summary", "note"), name="quote_note_once_per_point"
            ),
        )

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def elapsed_label(self) -> str:
        minutes, seconds = divmod(self.source_seconds or 0, 60)
        return f"{minutes:02d}:{seconds:02d}"

    @property
    def source_name(self) -> str:
        """What the quote was picked from, as people call it."""
        return "highlight" if self.from_transcript else "note"

    @property
    def recording_label(self) -> str:
        """Where on the recording it was said ("1:02:07"), or "" if not known."""
        return "" if self.start_ms is None else minutes_label(self.start_ms / 1000)

    @property
    def when(self) -> str:
        """When it was said, on the clock it was taken by: the recording's, or the call's."""
        if self.from_transcript and self.start_ms is not None:
            return f"{self.recording_label} in the recording"
        return f"{self.elapsed_label} into the call"

    @property
    def source_is_gone(self) -> bool:
        """The note was deleted from the call: the quote keeps the words it had."""
        note = self.note
        return note is None or note.deleted_at is not None

    @property
    def source_words(self) -> str:
        """The note's words: as the note has them now, or as they were once it is gone."""
        note = self.note  # read once: a related object's descriptor is not free
        return self.source_text if note is None or note.deleted_at is not None else note.text

    @property
    def is_verbatim(self) -> bool:
        """The quote's words stand in its note as they are: an excerpt is fine, spacing aside.

        Worked out once for the words it was asked about (a quote's voice, its marks and an
        export's columns each ask), again when either changes."""
        text, source = self.text, self.source_words
        known = self.__dict__.get("_verbatim")
        if known is None or known[0] is not text or known[1] is not source:
            said = " ".join(text.split())
            known = (text, source, bool(said) and said in " ".join(source.split()))
            self.__dict__["_verbatim"] = known
        return bool(known[2])

    @property
    def voice(self) -> Voice:
        """Whose words these are: the customer's only when the note was a quote (their words
        as said), or a highlight of the transcript said by someone not of the team (words as
        the recording has them, the speaker named beside them), and the quote still says what
        its source says. A highlight of the team's own words is the team's."""
        if self.from_transcript:
            if self.speaker_id is not None and self.speaker.role == SpeakerRole.TEAM:  # type: ignore[union-attr]
                return Voice.TEAM  # the interviewer's own words, not the customer's
            return Voice.THEIRS if self.is_verbatim else Voice.EDITED
        note = self.note
        if note is None or note.kind != NoteKind.QUOTE:
            return Voice.TEAM
        return Voice.THEIRS if self.is_verbatim else Voice.EDITED

    @property
    def noted_as(self) -> str:
        """The kind of note the team wrote ("pain", "KPI"), or "" when the note is gone."""
        if self.note is None:
            return ""
        kind = self.note.get_kind_display()
        return kind if kind.isupper() else kind.lower()

    def marked(self, words: str | None = None) -> str:
        """The words as plain text, marked with whose they are: their words in quotation
        marks; an edit, with the note's words beside it; the team's note, never in quotation
        marks. `words`: the words to show, if not all of them (an excerpt)."""
        shown = (self.text if words is None else words).strip()
        voice = self.voice
        if voice == Voice.TEAM and self.from_transcript:
            marked = f"[The team's words, from the recording, not theirs] {shown}"
        elif voice == Voice.TEAM:
            kind = f", {self.noted_as}" if self.noted_as else ""
            marked = f"[The team's note{kind}, not their words] {shown}"
        else:
            marked = f"“{shown}”"
        # Their words are verbatim and an edit is not, by what the voice is.
        if voice is Voice.EDITED or (voice is Voice.TEAM and not self.is_verbatim):
            source = "transcript" if self.from_transcript else "note"
            marked += f" [Edited by the team. The {source} says: {self.source_words.strip()}]"
        return marked
