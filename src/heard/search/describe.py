"""Describing what a search found: each entry's snippet, where it comes from (the interview's
participant and day, the study, who said it and when) and the link that opens it, read with a
few queries per kind, whatever the number of results."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from heard.accounts.models import Workspace
from heard.guides.models import Question
from heard.interviews.models import (
    Interview,
    Note,
    Segment,
    TranscriptSpeaker,
    minutes_label,
)
from heard.interviews.recordings.moments import Moment, Moments
from heard.interviews.transcripts.speakers import name_of
from heard.participants.models import Participant
from heard.search.models import Entry, Kind
from heard.search.query import Query
from heard.search.snippets import snippet
from heard.studies.models import Study
from heard.synthesis.models import Decision, Finding, Quote

OPEN_LABELS: dict[str, str] = {
    Kind.SEGMENT: "Open the line",
    Kind.HIGHLIGHT: "Open the highlight",
    Kind.NOTE: "Open the note",
    Kind.QUOTE: "Open the quote",
    Kind.SUMMARY: "Open the summary",
    Kind.FINDING: "Open the finding",
    Kind.DECISION: "Open the decision",
    Kind.PARTICIPANT: "Open the participant",
    Kind.QUESTION: "Open the guide",
}


@dataclass
class Hit:
    entry: Entry
    snippet: SafeString
    url: str
    title: str = ""
    """Whose or what it is, in typed words: the participant of its interview, a guide's title."""
    when: str = ""
    """The day of its interview or decision, in Heard's words (kept apart from the title, whose
    script may run the other way)."""
    details: list[str] = field(default_factory=list)
    """Where it was said: the study, the speaker, the time."""
    moment: Moment | None = None
    interview: Interview | None = None
    note_id: str = ""
    """The note or highlight it is, or was made from, for adding it to a summary."""
    quote_id: int | None = None
    is_new: bool = False
    """New since the person last opened the saved search the page shows."""

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def open_label(self) -> str:
        """What the link to it says: "Open the line"."""
        return OPEN_LABELS[self.entry.kind]

    @property
    def key(self) -> str:
        """What a form sends to say which result it means."""
        part = f":{self.entry.part}" if self.entry.part else ""
        return f"{self.entry.kind}:{self.entry.object_id}{part}"


def describe(workspace: Workspace, entries: list[Entry], query: Query) -> list[Hit]:
    ws = workspace.slug
    terms = query.terms
    interviews = {
        interview.pk: interview
        for interview in Interview.objects.filter(
            pk__in={e.interview_id for e in entries if e.interview_id}
        ).select_related("participant", "study")
    }
    studies = {
        study.pk: study
        for study in Study.objects.filter(pk__in={e.study_id for e in entries if e.study_id})
    }
    speakers = {
        speaker.pk: speaker
        for speaker in TranscriptSpeaker.objects.filter(
            pk__in={e.speaker_id for e in entries if e.speaker_id}
        ).select_related("user")
    }
    moments = Moments(ws, interviews)
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    extra = _Details(ws, by_kind)
    hits = []
    for entry in entries:
        interview = interviews.get(entry.interview_id or 0)
        hit = Hit(entry, snippet(entry.text, terms, entry.language), url="", interview=interview)
        if interview is not None:
            hit.title, hit.when = _interview_title(interview)
            hit.details.append(interview.study.title)
        elif entry.study_id in studies:
            hit.details.append(studies[entry.study_id].title)
        speaker = speakers.get(entry.speaker_id or 0)
        said_by = name_of(speaker, interview) if speaker and interview else ""
        extra.fill(hit, said_by, moments)
        if said_by:
            hit.details.insert(0, said_by)
        if hit.url:
            hits.append(hit)
    return hits


def _time_of(start_ms: int, recording_id: int | None) -> str:
    """When in the call a transcript's words were said: in its recording, or, for a
    transcript brought in without one, into the call."""
    where = "in the recording" if recording_id else "into the call"
    return f"{minutes_label(start_ms / 1000)} {where}"


def _interview_title(interview: Interview) -> tuple[str, str]:
    person = interview.participant
    company = f" ({person.company})" if person.company else ""
    return f"{person.name}{company}", date_format(interview.local_start, "j M Y")


class _Details:
    """What each kind of result needs beyond its entry, read once for all of a page's."""

    def __init__(self, ws: str, by_kind: dict[str, list[Entry]]) -> None:
        self.ws = ws

        def ids(kind: Kind) -> list[str]:
            return [entry.object_id for entry in by_kind.get(kind, ())]

        def numbers(kind: Kind) -> list[int]:
            return [int(pk) for pk in ids(kind)]

        self.segments = (
            Segment.objects.select_related("transcript")
            .only(
                "pk",
                "start_ms",
                "end_ms",
                "transcript_id",
                "transcript__recording_id",
                "transcript__interview_id",
            )
            .in_bulk(numbers(Kind.SEGMENT))
        )
        note_ids = [uuid.UUID(pk) for pk in ids(Kind.NOTE) + ids(Kind.HIGHLIGHT)]
        self.notes = {
            str(note.pk): note
            for note in Note.objects.filter(pk__in=note_ids).select_related("transcript")
        }
        self.quotes = Quote.objects.select_related(
            "point_summary__point", "note", "speaker"
        ).in_bulk(numbers(Kind.QUOTE))
        self.findings = Finding.objects.only("pk", "study_id").in_bulk(numbers(Kind.FINDING))
        self.decisions = Decision.objects.only("pk", "study_id").in_bulk(numbers(Kind.DECISION))
        self.participants = Participant.objects.only("pk", "name", "company").in_bulk(
            numbers(Kind.PARTICIPANT)
        )
        self.questions = Question.objects.select_related("section__guide").in_bulk(
            numbers(Kind.QUESTION)
        )

    def fill(self, hit: Hit, said_by: str, moments: Moments) -> None:
        entry = hit.entry
        getattr(self, f"_{entry.kind}")(hit, said_by, moments)

    def _url(self, name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"ws": self.ws, **kwargs})

    def _segment(self, hit: Hit, said_by: str, moments: Moments) -> None:
        segment = self.segments.get(int(hit.entry.object_id))
        if segment is None:
            return
        transcript = segment.transcript
        hit.url = (
            self._url("transcripts:detail", pk=transcript.interview_id, transcript_pk=transcript.pk)
            + f"#segment-{segment.pk}"
        )
        if segment.start_ms is not None:
            hit.details.append(_time_of(segment.start_ms, transcript.recording_id))
        hit.moment = moments.on_recording(
            transcript.recording_id, segment.start_ms, segment.end_ms, said_by
        )

    def _highlight(self, hit: Hit, said_by: str, moments: Moments) -> None:
        note: Any = self.notes.get(hit.entry.object_id)
        if note is None or note.transcript_id is None:
            return
        hit.url = (
            self._url("transcripts:detail", pk=note.interview_id, transcript_pk=note.transcript_id)
            + f"#highlight-{note.pk}"
        )
        hit.details.append(note.get_kind_display())
        if note.start_ms is not None:
            hit.details.append(_time_of(note.start_ms, note.transcript.recording_id))
        note.said_by = said_by
        hit.moment = moments.of_note(note)
        hit.note_id = str(note.pk)

    def _note(self, hit: Hit, said_by: str, moments: Moments) -> None:
        note = self.notes.get(hit.entry.object_id)
        if note is None:
            return
        hit.url = self._url("interviews:wrapup", pk=note.interview_id) + f"#note-{note.pk}"
        hit.details.append(
            f"{note.get_kind_display()} noted {minutes_label(note.elapsed_seconds)} into the call"
        )
        hit.moment = moments.of_note(note)
        hit.note_id = str(note.pk)

    def _quote(self, hit: Hit, said_by: str, moments: Moments) -> None:
        quote: Any = self.quotes.get(int(hit.entry.object_id))
        if quote is None or hit.interview is None:
            return
        hit.url = self._url("summaries:detail", pk=hit.interview.pk) + f"#quote-{quote.pk}"
        hit.details.append(f"Quote for {quote.point_summary.point.label}")
        quote.said_by = said_by
        hit.moment = moments.of_quote(quote, hit.interview.pk)
        hit.quote_id = quote.pk

    def _summary(self, hit: Hit, said_by: str, moments: Moments) -> None:
        if hit.interview is None:
            return
        part = hit.entry.part
        anchor = (
            f"#point-{part.removeprefix('point')}" if part.startswith("point") else f"#text-{part}"
        )
        hit.url = self._url("summaries:detail", pk=hit.interview.pk) + anchor
        hit.details.append(_SUMMARY_PART_LABELS.get(hit.entry.tag, "Summary"))

    def _finding(self, hit: Hit, said_by: str, moments: Moments) -> None:
        finding = self.findings.get(int(hit.entry.object_id))
        if finding is not None:
            hit.url = self._url("findings:detail", study_pk=finding.study_id, pk=finding.pk)
            hit.when = "Finding"

    def _decision(self, hit: Hit, said_by: str, moments: Moments) -> None:
        decision = self.decisions.get(int(hit.entry.object_id))
        if decision is not None:
            hit.url = (
                self._url("reviews:decisions", study_pk=decision.study_id)
                + f"#decision-{decision.pk}"
            )
            hit.when = f"Decision of {date_format(timezone.localtime(hit.entry.at), 'j M Y')}"

    def _participant(self, hit: Hit, said_by: str, moments: Moments) -> None:
        person = self.participants.get(int(hit.entry.object_id))
        if person is not None:
            hit.url = self._url("participants:detail", pk=person.pk)
            hit.title = person.name + (f" ({person.company})" if person.company else "")
            hit.details.append(_PARTICIPANT_PART_LABELS.get(hit.entry.tag, "Details"))

    def _question(self, hit: Hit, said_by: str, moments: Moments) -> None:
        question = self.questions.get(int(hit.entry.object_id))
        if question is not None:
            guide = question.section.guide
            hit.url = self._url("guides:detail", pk=guide.pk) + f"#question-{question.pk}"
            hit.title = guide.title
            hit.details.append(question.section.title)


_SUMMARY_PART_LABELS = {
    "pain": "Main pains",
    "solution_request": "Solution requests",
    "surprise": "Surprises",
    "follow_up": "Open follow-ups",
    "heard": "What we heard",
}
_PARTICIPANT_PART_LABELS = {"profile": "Profile", "research": "Research note"}
