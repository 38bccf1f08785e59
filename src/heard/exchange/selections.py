"""A study's sources as its REFI-QDA project holds them, each with its coded selections, read
interview by interview (`CodedSources`); `project.py` writes them into the project.

- **Sources**: each interview's current, ready transcripts (a text source each) and its notes
  of the call (one text source per interview), their text as `sources.py` writes it.
- **Coded selections**: each highlight, coded with its kind and its points (and the codes it
  came with); each quote of a summary, coded with its point, where its words are (in the
  transcript for a quote of a highlight, in the notes for a quote of a note); each note of the
  call, coded with its kind. A highlight whose lines were edited since, or a quote whose note
  or highlight is gone, is left out and counted (`left_out`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from heard.accounts.models import User
from heard.exchange.guids import Guids, Thing, plain
from heard.exchange.models import ImportedCodes
from heard.exchange.sources import (
    SourceText,
    notes_name,
    notes_text,
    place_highlight,
    place_note,
    place_within,
    transcript_name,
    transcript_text,
)
from heard.exchange.text import one_line, paragraphs
from heard.interviews.models import (
    Interview,
    Note,
    NoteSource,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.transcripts import speakers, store
from heard.participants.pseudonyms import Pseudonyms
from heard.studies.models import Study
from heard.synthesis.models import Quote

EXCERPT_MOST = 80


@dataclass(frozen=True)
class Selection:
    """A coded selection of a source: [start, end) of its text, a few of its words as its
    name, and its codes' GUIDs."""

    guid: str
    start: int
    end: int
    name: str
    codes: tuple[str, ...]
    description: str = ""
    author_id: int | None = None
    created_at: datetime.datetime | None = None


@dataclass
class Source:
    """A text source: its text (until it is written into the ZIP) and its selections."""

    guid: str
    name: str
    description: str
    text: SourceText
    author_id: int | None = None
    created_at: datetime.datetime | None = None
    selections: list[Selection] = field(default_factory=list)

    def select(
        self,
        guid: str,
        span: tuple[int, int],
        codes: Iterable[str],
        description: str = "",
        author_id: int | None = None,
        created_at: datetime.datetime | None = None,
    ) -> None:
        start, end = span
        self.selections.append(
            Selection(
                guid,
                start,
                end,
                one_line(self.text.text[start:end], EXCERPT_MOST),
                tuple(dict.fromkeys(codes)),
                paragraphs(description),
                author_id,
                created_at,
            )
        )


class CodedSources:
    """One study's sources, with their selections, an interview at a time (`of_interview`);
    what was left out, by what (`left_out`), and each participant's sources
    (`by_participant`)."""

    def __init__(self, study: Study, hide: Pseudonyms, guids: Guids) -> None:
        self.study = study
        self.hide = hide
        self.guids = guids
        self.left_out: defaultdict[str, int] = defaultdict(int)
        self.by_participant: dict[int, list[str]] = defaultdict(list)

    def kind(self, kind: str) -> str:
        return self.guids.of(Thing.NOTE_KIND, kind)

    def point(self, point_id: int) -> str:
        return self.guids.of(Thing.POINT, point_id)

    def interviews(self) -> QuerySet[Interview]:
        return (
            Interview.objects.filter(study=self.study)
            .select_related("participant")
            .prefetch_related(
                Prefetch(
                    "transcripts",
                    queryset=Transcript.objects.filter(
                        status=TranscriptStatus.READY, superseded_at__isnull=True
                    ).order_by("created_at", "pk"),
                    to_attr="current_transcripts",
                )
            )
            .order_by("starts_at", "pk")
        )

    def of_interview(self, interview: Interview) -> list[Source]:
        """The interview's transcripts and notes, with their selections."""
        person = interview.participant
        who, day = self.hide.name(person), f"{interview.local_start:%Y-%m-%d}"
        about = self.about(interview)
        transcripts: dict[int, Source] = {}
        current: list[Transcript] = interview.current_transcripts  # type: ignore[attr-defined]
        if current:
            used = TranscriptSpeaker.objects.filter(interview=interview).select_related("user")
            names = speakers.names_for(interview, used)
        for number, transcript in enumerate(current, 1):
            transcripts[transcript.pk] = Source(
                self.guids.of(Thing.TRANSCRIPT, transcript.pk),
                transcript_name(who, day, number, len(current)),
                f"{about} {transcript.source_label}.",
                transcript_text(store.segments_of(transcript), names, self.hide),
                transcript.created_by_id,
                transcript.created_at,
            )
        notes = self.notes_of(interview, notes_name(who, day), about)
        self.add_highlights(interview, transcripts)
        self.add_quotes(interview, transcripts, notes)
        made = [*transcripts.values(), *([notes] if notes is not None else [])]
        self.by_participant[person.pk] += [source.guid for source in made]
        return made

    def about(self, interview: Interview) -> str:
        person = interview.participant
        company = self.hide.company(person)
        return self.hide.text(
            f"Interview of {interview.local_start:%Y-%m-%d} with {person.name}"
            f"{f' ({company})' if company else ''}, study “{self.study.title}”."
        )

    def notes_of(self, interview: Interview, name: str, about: str) -> Source | None:
        """The interview's notes of the call as one source, each coded with its kind."""
        notes = list(
            Note.objects.filter(
                interview=interview, source=NoteSource.CALL, deleted_at__isnull=True
            ).order_by("elapsed_seconds", "created_at")
        )
        if not notes:
            return None
        authors = dict(
            User.objects.filter(pk__in={n.author_id for n in notes if n.author_id}).values_list(
                "pk", "name"
            )
        )
        source = Source(
            self.guids.of(Thing.NOTES, interview.pk),
            name,
            f"{about} The team's notes of the call, in the order they were taken.",
            notes_text(notes, authors, self.hide),
            created_at=interview.started_at or interview.starts_at,
        )
        for note in notes:
            span = place_note(source.text, note.pk)
            if span is not None:
                source.select(
                    self.guids.of(Thing.NOTE, note.pk),
                    span,
                    [self.kind(note.kind)],
                    f"{note.get_kind_display()}, {note.elapsed_label} into the call.",
                    note.author_id,
                    note.created_at,
                )
        return source

    def add_highlights(self, interview: Interview, transcripts: dict[int, Source]) -> None:
        marks = (
            Note.objects.filter(
                interview=interview,
                source=NoteSource.RECORDING,
                deleted_at__isnull=True,
                transcript_id__in=list(transcripts),
            )
            .prefetch_related("points")
            .order_by("start_ms", "created_at")
        )
        kept = dict(
            ImportedCodes.objects.filter(highlight__in=marks).values_list("highlight_id", "codes")
        )
        for mark in marks:
            source = transcripts[mark.transcript_id]  # type: ignore[index]
            span = place_highlight(source.text, mark.segment_id, mark.text)
            if span is None:
                self.left_out["highlights whose lines were edited since"] += 1
                continue
            codes = [self.kind(mark.kind)]
            codes += [self.point(point.pk) for point in mark.points.all()]
            codes += [plain(str(code.get("guid", ""))) for code in kept.get(mark.pk, ())]
            said = f", said by {self.hide.text(mark.speaker_label)}" if mark.speaker_label else ""
            at = f", {mark.recording_label} into the recording" if mark.recording_label else ""
            source.select(
                self.guids.of(Thing.HIGHLIGHT, mark.pk),
                span,
                [code for code in codes if code],
                f"Highlight: {mark.get_kind_display()}{said}{at}.",
                mark.author_id,
                mark.created_at,
            )

    def add_quotes(
        self, interview: Interview, transcripts: dict[int, Source], notes: Source | None
    ) -> None:
        quotes = (
            Quote.objects.filter(point_summary__summary__interview=interview)
            .select_related("note", "point_summary__point", "speaker")
            .order_by("point_summary__point__position", "position", "pk")
        )
        for quote in quotes:
            placed = self.place_quote(quote, transcripts, notes)
            if placed is None:
                self.left_out["quotes whose note or highlight is gone"] += 1
                continue
            source, span, whole = placed
            point = quote.point_summary.point
            description = (
                f"Quoted in the summary under {point.label} "
                f"({quote.get_bearing_display().lower()}): {quote.voice.label.lower()}."
            )
            if whole:
                description += f" The summary quotes it as: {self.hide.text(quote.text)}"
            source.select(
                self.guids.of(Thing.QUOTE, quote.pk),
                span,
                [self.point(point.pk)],
                description,
                quote.added_by_id,
                quote.created_at,
            )

    def place_quote(
        self, quote: Quote, transcripts: dict[int, Source], notes: Source | None
    ) -> tuple[Source, tuple[int, int], bool] | None:
        """The source that holds a quote's words, where they are, and whether that is the
        whole of its highlight or note (the quote's words being the team's edit of them)."""
        note = quote.note
        if note is None:
            return None
        if note.source == NoteSource.RECORDING:
            source = transcripts.get(note.transcript_id or 0)
            if source is None:
                return None
            span = place_within(source.text, note.segment_id, note.text, quote.text)
            if span is not None:
                return source, span, False
            span = place_highlight(source.text, note.segment_id, note.text)
            return (source, span, True) if span is not None else None
        if notes is None:
            return None
        span = place_note(notes.text, note.pk, quote.text)
        if span is not None:
            return notes, span, False
        span = place_note(notes.text, note.pk)
        return (notes, span, True) if span is not None else None
