"""Every text and JSON value Heard keeps that may name a participant, by model: where it
belongs in a workspace and, for an interview's things, to which interview. The erasure reads
this table, so a new stage that keeps text adds its fields here (the erasure test searches
the whole database and fails otherwise)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from heard.coach.models import CoachReport
from heard.exchange.models import ImportedCodes, ProjectImport
from heard.followups.models import FollowUp, FollowUpTemplate
from heard.interviews.models import (
    ConsentRecord,
    Interview,
    LiveEvent,
    Note,
    QueuedQuestion,
    Recording,
    Segment,
    SegmentEdit,
    TeamMember,
    Transcript,
    TranscriptSpeaker,
)
from heard.participants.models import ParticipantImport, ResearchNote
from heard.search.models import Entry, SavedSearch
from heard.studies.models import Study
from heard.synthesis.models import (
    Challenge,
    Decision,
    Finding,
    PointSummary,
    Quote,
    RemovedEvidence,
    Review,
    Summary,
)
from heard.webhooks.models import Attempt, Event, Webhook


@dataclass(frozen=True)
class Texts:
    model: type[models.Model]
    fields: tuple[str, ...]
    workspace: str
    """The lookup from a row to its workspace."""
    interview: str | None = None
    """The lookup from a row to its interview, for an interview's things."""
    json: tuple[str, ...] = ()


TEXTS: tuple[Texts, ...] = (
    Texts(Study, ("title", "goal", "decision"), "workspace"),
    Texts(ResearchNote, ("body", "url", "source"), "participant__workspace"),
    Texts(ParticipantImport, ("filename", "text"), "workspace", json=("mapping", "duplicates")),
    Texts(Interview, ("location",), "study__workspace", "pk"),
    Texts(TeamMember, ("guest_name", "title"), "interview__study__workspace", "interview"),
    Texts(ConsentRecord, ("asked", "note"), "interview__study__workspace", "interview"),
    Texts(Note, ("text", "speaker_label"), "interview__study__workspace", "interview"),
    Texts(QueuedQuestion, ("text",), "interview__study__workspace", "interview"),
    Texts(LiveEvent, (), "interview__study__workspace", "interview", json=("payload",)),
    Texts(Recording, ("original_name",), "interview__study__workspace", "interview"),
    Texts(Transcript, ("original_name",), "interview__study__workspace", "interview"),
    Texts(TranscriptSpeaker, ("label", "name"), "interview__study__workspace", "interview"),
    Texts(
        Segment,
        ("text", "original_text"),
        "transcript__interview__study__workspace",
        "transcript__interview",
        json=("words",),
    ),
    Texts(
        SegmentEdit,
        ("old_text", "new_text"),
        "segment__transcript__interview__study__workspace",
        "segment__transcript__interview",
    ),
    Texts(FollowUpTemplate, ("name", "subject", "body"), "workspace"),
    Texts(
        FollowUp,
        ("to_name", "to_email", "subject", "body"),
        "interview__study__workspace",
        "interview",
    ),
    Texts(
        Summary,
        ("main_pains", "solution_requests", "surprises", "follow_ups"),
        "interview__study__workspace",
        "interview",
        json=("measures", "acknowledged_checks"),
    ),
    Texts(
        PointSummary,
        ("what_we_heard",),
        "summary__interview__study__workspace",
        "summary__interview",
    ),
    Texts(
        Quote,
        ("text", "source_text", "speaker_label"),
        "point_summary__summary__interview__study__workspace",
        "point_summary__summary__interview",
    ),
    Texts(Finding, ("statement",), "study__workspace"),
    Texts(RemovedEvidence, ("words", "why"), "finding__study__workspace", "interview"),
    Texts(Review, ("title",), "study__workspace"),
    Texts(Challenge, ("text", "resolution"), "review__study__workspace"),
    Texts(Decision, ("text",), "study__workspace", json=("warnings_acknowledged",)),
    Texts(CoachReport, ("failure",), "interview__study__workspace", "interview", json=("data",)),
    Texts(SavedSearch, ("name", "query"), "study__workspace"),
    Texts(Entry, ("text",), "workspace", "interview"),
    # A REFI-QDA project checked for import: the highlights it would make (the transcripts'
    # words) and what it skipped; the other programs' codes that highlights kept.
    Texts(
        ProjectImport,
        ("filename", "origin"),
        "study__workspace",
        json=("plan", "skipped"),
    ),
    Texts(
        ImportedCodes,
        (),
        "highlight__interview__study__workspace",
        "highlight__interview",
        json=("codes",),
    ),
    # What webhooks sent (titles, statements, decisions) and what their receivers answered.
    Texts(Event, ("body",), "workspace"),
    Texts(Attempt, ("response_body", "error"), "delivery__webhook__workspace"),
    Texts(Webhook, ("description",), "workspace"),
)
