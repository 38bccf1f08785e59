"""The search index: one `Entry` per piece of text the team may look for (a transcript's
line, a note, a quote, a part of a summary, a finding, a participant's details…), with what
the filters read. Each database indexes `Entry.text` its own way (`heard.search.engines`):
SQLite an FTS5 table kept in step by triggers, PostgreSQL a `tsvector` column with a GIN
index. The entries are derived: `heard.search.sources` makes them from the stages' rows, and
`heard manage search_index` makes them all again."""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User, Workspace
from heard.interviews.models import Interview, Transcript, TranscriptSpeaker
from heard.participants.models import Participant
from heard.studies.models import Study


class Kind(models.TextChoices):
    """What a result is, in the order the results page shows them."""

    SEGMENT = "segment", "Transcript lines"
    HIGHLIGHT = "highlight", "Highlights"
    NOTE = "note", "Notes"
    QUOTE = "quote", "Quotes"
    SUMMARY = "summary", "Summaries"
    FINDING = "finding", "Findings"
    DECISION = "decision", "Decisions"
    PARTICIPANT = "participant", "Participants"
    QUESTION = "question", "Guide questions"


# The kinds that belong to an interview, made again whenever its evidence changes.
OF_INTERVIEW = (Kind.SEGMENT, Kind.HIGHLIGHT, Kind.NOTE, Kind.QUOTE, Kind.SUMMARY)


class Entry(models.Model):
    id = models.BigAutoField(primary_key=True)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.CharField(
        max_length=36, help_text="The id of what it indexes (a note's is a UUID)."
    )
    part = models.CharField(
        max_length=24, blank=True, help_text="Which text of the object: a summary's pains…"
    )
    tag = models.CharField(
        max_length=20,
        blank=True,
        help_text="What `kind:` also matches: a note's kind, a summary part's name.",
    )
    # Where it belongs: deleting any of these deletes the entry with it.
    study = models.ForeignKey(Study, on_delete=models.CASCADE, null=True, related_name="+")
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, null=True, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, related_name="+"
    )
    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, null=True, related_name="+"
    )
    speaker = models.ForeignKey(
        TranscriptSpeaker, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    points = models.CharField(
        max_length=400, blank=True, help_text='The validation points it bears on: ",3,7,".'
    )
    at = models.DateTimeField(help_text="When it happened: the interview's time, else its own.")
    created = models.DateTimeField(
        help_text="When it first existed: what is new to a saved search."
    )
    language = models.CharField(max_length=8, blank=True)
    text = models.TextField()
    scope = models.CharField(
        max_length=40,
        help_text="Its kind, study and speaker's role as words the full-text index holds "
        'beside the text ("ksegment s12 rparticipant"), so that the index itself narrows a '
        "search to them.",
    )

    class Meta:
        verbose_name_plural = "entries"
        constraints = (
            models.UniqueConstraint(fields=("kind", "object_id", "part"), name="search_entry_once"),
        )
        indexes = (
            # Newest first, and searches with filters but no words.
            models.Index(fields=("workspace", "-at"), name="search_newest_idx"),
            models.Index(fields=("interview", "kind"), name="search_interview_idx"),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}{f' {self.part}' if self.part else ''}"

    def set_scope(self, role: str = "") -> None:
        """Its scope, from its kind and study and `role`, its speaker's (a `SpeakerRole`)."""
        words = (scope_of(self.kind), study_word(self.study_id), role_word(role))
        self.scope = " ".join(word for word in words if word)


def scope_of(kind: str) -> str:
    """The word of `Entry.scope` that says its kind: "k" and the kind."""
    return f"k{kind}"


def study_word(study_id: int | None) -> str:
    """The word of `Entry.scope` that says its study: "s" and its id ("" for none)."""
    return f"s{study_id}" if study_id else ""


def role_word(role: str) -> str:
    """The word of `Entry.scope` that says its speaker's role: "r" and the role ("" for
    none); always the last word."""
    return f"r{role}" if role else ""


class SavedSearch(models.Model):
    """A search a team keeps on a study, and when each person last looked at its results."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=120)
    query = models.CharField(max_length=1000)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class SearchLook(models.Model):
    """When a person last opened a saved search: what arrived after it is new to them."""

    saved = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="looks")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    looked_at = models.DateTimeField()

    class Meta:
        constraints = (models.UniqueConstraint(fields=("saved", "user"), name="search_look_once"),)

    def __str__(self) -> str:
        return f"{self.user} looked at {self.saved} on {self.looked_at:%Y-%m-%d}"
