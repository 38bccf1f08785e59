"""A study as a REFI-QDA project (`.qdpx`): a ZIP of `project.qde`, the QDA-XML project, and
`sources/<guid>.txt`, the plain text of each source.

- **Sources**: each interview's current, ready transcripts (a text source each) and its notes
  of the call (one text source per interview), as `sources.py` writes them.
- **Codes**: the study's validation points, the kinds of note, and the codes of other tools
  that imported highlights kept (`codebook.py`).
- **Coded selections**: each highlight, coded with its kind and its points (and the codes it
  came with); each quote of a summary, coded with its point, where its words are (in the
  transcript for a quote of a highlight, in the notes for a quote of a note); each note of the
  call, coded with its kind.
- **Cases**: the participants, with their company, role, segment and profile as variables,
  each tied to the sources of their interviews.
- **Users**: the people who wrote what the project holds, and who exported it.

Every GUID comes from the thing it names (`guids.py`): exporting again gives the same ones.
Participants are named by pseudonyms when `hide` is on, in every name and every text.
"""

from __future__ import annotations

import datetime
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from lxml import etree

from heard.accounts.models import User
from heard.core.downloads import name_part
from heard.exchange import codebook
from heard.exchange.guids import Guids, Thing, plain
from heard.exchange.markup import PROJECT, Markup, serialised, when
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
from heard.participants import pseudonyms
from heard.participants.models import Participant
from heard.participants.profile import display_value, label_for_key
from heard.participants.pseudonyms import Pseudonyms
from heard.participants.services import profile_keys
from heard.studies.models import Study
from heard.synthesis.models import Quote

SOURCES = "sources"
NAME_MOST = 100
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


@dataclass
class Written:
    """What an export wrote, and what it left out (what, how many)."""

    sources: int = 0
    selections: int = 0
    left_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def file_name(study: Study, extension: str, today: datetime.date) -> str:
    """heard-reporting-pains-2027-01-15.qdpx, keeping letters of any script."""
    name = name_part(study.title) or f"study-{study.pk}"
    return f"heard-{name}-{today.isoformat()}.{extension}"


def named_as(study: Study, on: bool) -> Pseudonyms:
    """How an export names the study's participants (`participants.pseudonyms`): by
    pseudonyms when `on`."""
    people = Participant.objects.filter(interviews__study=study).distinct()
    return pseudonyms.of(study.workspace_id, people, on)


class ProjectWriter:
    """One study's project, written into a temporary file (`write`)."""

    def __init__(self, study: Study, hide: Pseudonyms, exporter: User) -> None:
        self.study = study
        self.hide = hide
        self.exporter = exporter
        self.guids = Guids(study.workspace)
        self.markup = Markup(PROJECT)
        self.written = Written()
        self.users: set[int] = {exporter.pk}
        self.sources_of: dict[int, list[str]] = defaultdict(list)  # by participant
        self.profile_labels = {key.key: key.label for key in profile_keys(study.workspace)}

    def kind(self, kind: str) -> str:
        return self.guids.of(Thing.NOTE_KIND, kind)

    def point(self, point_id: int) -> str:
        return self.guids.of(Thing.POINT, point_id)

    def user(self, user_id: int | None) -> str | None:
        if not user_id:
            return None
        self.users.add(user_id)
        return self.guids.of(Thing.USER, user_id)

    def write(self) -> IO[bytes]:
        """The `.qdpx` file, in a temporary file rewound to its start (closing it deletes
        it). Each source's text goes into the ZIP as soon as its interview is read."""
        handle = tempfile.TemporaryFile()  # noqa: SIM115  (whoever reads it closes it)
        sources: list[Source] = []
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for interview in self.interviews():
                for source in self.sources_of_interview(interview):
                    archive.writestr(f"{SOURCES}/{source.guid}.txt", source.text.text.encode())
                    source.text = SourceText("", [])  # only its selections are still needed
                    sources.append(source)
            archive.writestr("project.qde", serialised(self.project(sources)))
        handle.seek(0)
        return handle

    def project(self, sources: list[Source]) -> etree._Element:
        """`project.qde`'s root, its parts in the order QDA-XML wants them."""
        root = self.markup.root(
            "Project",
            name=one_line(self.study.title, NAME_MOST) or f"Study {self.study.pk}",
            origin="Heard",
            creatingUserGUID=self.user(self.exporter.pk),
            creationDateTime=when(timezone.now()),
        )
        source_elements = self.source_elements(sources)  # names the users it refers to
        self.add_users(root)
        codes = self.markup.add(self.markup.add(root, "CodeBook"), "Codes")
        codebook.add_codes(self.markup, codes, codebook.codes_of(self.study, self.guids))
        self.add_cases(root)
        if source_elements is not None:
            root.append(source_elements)
        self.markup.add(root, "Description", self.description())
        return root

    # Reading the study -----------------------------------------------------------------------

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

    def sources_of_interview(self, interview: Interview) -> list[Source]:
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
        self.sources_of[person.pk] += [source.guid for source in made]
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
                self.written.left_out["highlights whose lines were edited since"] += 1
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
                self.written.left_out["quotes whose note or highlight is gone"] += 1
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

    # The project's parts ---------------------------------------------------------------------

    def source_elements(self, sources: list[Source]) -> etree._Element | None:
        if not sources:
            return None
        element = etree.Element(f"{{{PROJECT}}}Sources")
        for source in sources:
            text_source = self.markup.add(
                element,
                "TextSource",
                guid=source.guid,
                name=source.name,
                plainTextPath=f"internal://{source.guid}.txt",
                creatingUser=self.user(source.author_id),
                creationDateTime=when(source.created_at),
            )
            self.markup.add(text_source, "Description", paragraphs(source.description))
            for chosen in sorted(source.selections, key=lambda s: (s.start, s.end, s.guid)):
                self.add_selection(text_source, chosen)
            self.written.sources += 1
        return element

    def add_selection(self, parent: etree._Element, chosen: Selection) -> None:
        author = self.user(chosen.author_id)
        made = when(chosen.created_at)
        element = self.markup.add(
            parent,
            "PlainTextSelection",
            guid=chosen.guid,
            name=chosen.name,
            startPosition=chosen.start,
            endPosition=chosen.end,
            creatingUser=author,
            creationDateTime=made,
        )
        if chosen.description:
            self.markup.add(element, "Description", chosen.description)
        for code in chosen.codes:
            coding = self.markup.add(
                element,
                "Coding",
                guid=self.guids.coding(chosen.guid, code),
                creatingUser=author,
                creationDateTime=made,
            )
            self.markup.add(coding, "CodeRef", targetGUID=code)
        self.written.selections += 1

    def add_users(self, root: etree._Element) -> None:
        users = self.markup.add(root, "Users")
        for person in User.objects.filter(pk__in=self.users).order_by("pk"):
            self.markup.add(
                users,
                "User",
                guid=self.guids.of(Thing.USER, person.pk),
                name=one_line(person.name, NAME_MOST),
            )

    def add_cases(self, root: etree._Element) -> None:
        people = list(
            Participant.objects.filter(interviews__study=self.study).distinct().order_by("pk")
        )
        if not people:
            return
        values = {person.pk: self.variables(person) for person in people}
        names = list(dict.fromkeys(name for found in values.values() for name in found))
        if names:
            variables = self.markup.add(root, "Variables")
            for name in names:
                self.markup.add(
                    variables,
                    "Variable",
                    guid=self.guids.of(Thing.VARIABLE, name),
                    name=name,
                    typeOfVariable="Text",
                )
        cases = self.markup.add(root, "Cases")
        for person in people:
            case = self.markup.add(
                cases,
                "Case",
                guid=self.guids.of(Thing.CASE, person.pk),
                name=one_line(self.hide.name(person), NAME_MOST),
            )
            for name, value in values[person.pk].items():
                item = self.markup.add(case, "VariableValue")
                self.markup.add(item, "VariableRef", targetGUID=self.guids.of(Thing.VARIABLE, name))
                self.markup.add(item, "TextValue", value)
            for guid in self.sources_of.get(person.pk, ()):
                self.markup.add(case, "SourceRef", targetGUID=guid)

    def variables(self, person: Participant) -> dict[str, str]:
        """A participant's variables that have a value, by name: company (left out with
        pseudonyms), role, segment and each profile value."""
        found = {
            "Company": self.hide.company(person),
            "Role": self.hide.value(person.role),
            "Segment": person.segment,
        }
        for key, value in (person.profile or {}).items():
            label = one_line(self.profile_labels.get(key) or label_for_key(key), NAME_MOST)
            if label and label not in found:
                found[label] = self.hide.value(display_value(value))
        return {name: paragraphs(str(value)) for name, value in found.items() if str(value).strip()}

    def description(self) -> str:
        parts = [f"Exported from Heard on {timezone.localdate():%Y-%m-%d}.", "", self.study.goal]
        if self.study.decision:
            parts += ["", f"The decision it informs: {self.study.decision}"]
        if self.hide.on:
            parts += ["", "Participants are named by pseudonyms (P07), and companies left out."]
        for what, count in sorted(self.written.left_out.items()):
            parts += ["", f"Left out: {count} {what}."]
        return paragraphs(self.hide.text("\n".join(parts)))


def write_project(study: Study, hide: Pseudonyms, exporter: User) -> tuple[IO[bytes], Written]:
    """The study's `.qdpx` file (a temporary file, rewound), and what it holds."""
    writer = ProjectWriter(study, hide, exporter)
    return writer.write(), writer.written
