"""What a project coded in another program would add to a study: each coded selection of a
transcript made a highlight, or skipped with the reason.

**Which transcript** each text source is, and what each code means in the study, are found
by `matching.py`; a source that is no transcript of the study takes no highlights.

**Where.** Positions count characters of the source's text as the ZIP holds it (REFI-QDA's
way). Where that text is Heard's own (line breaks aside: another program may have written
"\\r\\n"), a selection's positions are Heard's; where it was changed, the selected words are
looked for in Heard's text, nearest where they were. The lines a selection covers give the
highlight's words, without the times and names that begin each line; a highlight keeps to one
speaker and at most `highlights.MAX_LINES` lines, as in Heard.

**Never twice.** A selection whose words are already highlighted at the same place is
skipped, as is a second selection of the same words in the file, and a selection Heard wrote
for a summary's quote.
"""

from __future__ import annotations

import bisect
import codecs
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from heard.exchange.archive import Archive
from heard.exchange.guids import Guids, Thing
from heard.exchange.matching import Candidate, CodeReading, Transcripts, normalise
from heard.exchange.qde import Coded, Project, TextSource
from heard.exchange.sources import Line
from heard.exchange.text import Rewritten, flat, loose, nearest, one_line
from heard.interviews.models import NOTE_MAX_LENGTH, Note, NoteKind, NoteSource
from heard.interviews.transcripts.highlights import MAX_LINES
from heard.studies.models import Study
from heard.synthesis.models import Quote

INTERNAL = "internal://"
SHOWN_MOST = 80


@dataclass
class Planned:
    """A highlight to make: where (a transcript's lines) and what it is."""

    selection: str
    interview: int
    transcript: int
    first: int
    last: int
    at: int
    words: str
    kind: str
    points: list[int]
    codes: list[dict[str, str]]


@dataclass
class Skipped:
    """What is not imported: which source, which selection (its words or name) and why."""

    source: str
    selection: str
    reason: str
    count: int = 1


@dataclass
class Plan:
    origin: str
    planned: list[Planned] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def skip(self, source: str, selection: str, reason: str, count: int = 1) -> None:
        if count:
            self.skipped.append(Skipped(one_line(source, SHOWN_MOST), selection, reason, count))

    def as_json(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return [asdict(item) for item in self.planned], [asdict(item) for item in self.skipped]


def decoded(data: bytes) -> str | None:
    """A source's plain text: UTF-8 (REFI-QDA's), or UTF-16 with its mark; None otherwise."""
    for mark, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(mark):
            try:
                return data[len(mark) if encoding == "utf-8" else 0 :].decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class Planner:
    def __init__(self, study: Study, project: Project, archive: Archive) -> None:
        self.study = study
        self.project = project
        self.archive = archive
        self.guids = Guids(study.workspace)
        self.codes = CodeReading(study, self.guids, project.codes)
        self.transcripts = Transcripts(study, self.guids)
        self.notes = {
            self.guids.of(Thing.NOTES, pk) for pk in study.interviews.values_list("pk", flat=True)
        }
        self.quotes = {
            self.guids.of(Thing.QUOTE, pk)
            for pk in Quote.objects.filter(
                point_summary__summary__interview__study=study
            ).values_list("pk", flat=True)
        }
        self.taken: set[tuple[int, int, str]] = set()  # (transcript, first line, words)
        self.plan = Plan(project.origin)

    def run(self) -> Plan:
        for kind, count in sorted(self.project.other_sources.items()):
            self.plan.skip(
                f"{count} {kind.removesuffix('Source').lower()} source{'s' if count > 1 else ''}",
                "",
                "Heard highlights text: pictures, PDFs, audio and video are left out.",
            )
        for source in self.project.sources:
            self.source(source)
        return self.plan

    def source(self, source: TextSource) -> None:
        coded = len(source.selections)
        if source.guid in self.notes:
            self.plan.skip(
                source.name,
                "",
                "The team's notes of the call: Heard makes highlights on transcripts only.",
                coded,
            )
            return
        if not coded:
            return
        text = self.text_of(source)
        if text is None:
            return
        candidate = self.transcripts.match(source, text)
        if candidate is None:
            self.plan.skip(
                source.name,
                "",
                "No transcript of this study is this source (by the GUID Heard gave it, its "
                "name or its text).",
                coded,
            )
            return
        self.existing(candidate)
        normalised = normalise(text)
        same = normalised.text.rstrip("\n") == candidate.text.text.rstrip("\n")
        for selection in source.selections:
            self.selection(source, candidate, normalised, same, selection)

    def text_of(self, source: TextSource) -> str | None:
        if source.content is not None and not source.path:
            return source.content
        if not source.path.startswith(INTERNAL):
            self.plan.skip(
                source.name,
                "",
                "Its text is outside the project file (not an internal:// source).",
                len(source.selections),
            )
            return None
        data = self.archive.source(source.path.removeprefix(INTERNAL))
        text = decoded(data) if data is not None else None
        if text is None:
            why = "is not in the project" if data is None else "is not UTF-8 text"
            self.plan.skip(source.name, "", f"Its text file {why}.", len(source.selections))
        return text

    def existing(self, candidate: Candidate) -> None:
        transcript = candidate.transcript
        marks = Note.objects.filter(
            transcript=transcript, source=NoteSource.RECORDING, deleted_at__isnull=True
        ).values_list("segment_id", "text")
        self.taken |= {(transcript.pk, segment or 0, flat(words)) for segment, words in marks}

    def selection(
        self,
        source: TextSource,
        candidate: Candidate,
        normalised: Rewritten,
        same: bool,
        coded: Coded,
    ) -> None:
        shown = one_line(coded.name, SHOWN_MOST) or f"Characters {coded.start} to {coded.end}"

        def skip(reason: str) -> None:
            self.plan.skip(source.name, shown, reason)

        if coded.guid in self.quotes:
            return skip("Heard wrote it for a quote of a summary, which stays as it is.")
        length = len(normalised.original)
        if not 0 <= coded.start < coded.end <= length:
            return skip(
                f"Its positions ({coded.start} to {coded.end}) are outside the source's text, "
                f"which is {length:,} characters long."
            )
        kind, points, others = self.codes.read(coded.codes)
        if kind is None and not points and not others:
            return skip("It has no code of the project's codebook.")
        heard = candidate.text
        start, end = normalised.start(coded.start), normalised.end(coded.end)
        if not same:
            found = self.find(normalised.text[start:end], heard.text, start, len(normalised.text))
            if found is None:
                return skip(
                    "Its words are not in the transcript as Heard has it (edited since, in one "
                    "program or the other)."
                )
            start, end = found
        lines = covered(heard.lines, start, end)
        if not lines:
            return skip("It selects only times and names, no words.")
        if len({line.speaker_id for line in lines}) > 1:
            return skip(
                "It runs over the lines of more than one speaker: a highlight in Heard keeps "
                "to one. Code each speaker's words apart."
            )
        if len(lines) > MAX_LINES:
            return skip(f"It runs over more than {MAX_LINES} lines, the most a highlight takes.")
        pieces = [
            line.words.text[max(start, line.start) - line.start : min(end, line.end) - line.start]
            for line in lines
        ]
        words = flat(" ".join(pieces))
        if not words:
            return skip("It selects no words.")
        if len(words) > NOTE_MAX_LENGTH:
            return skip(
                f"It holds more than {NOTE_MAX_LENGTH:,} characters, the most a highlight takes."
            )
        transcript = candidate.transcript
        first = int(lines[0].key)  # type: ignore[call-overload]
        taken = (transcript.pk, first, words)
        if taken in self.taken:
            return skip("These words are highlighted there already.")
        self.taken.add(taken)
        leading = len(pieces[0]) - len(pieces[0].lstrip())
        self.plan.planned.append(
            Planned(
                coded.guid,
                transcript.interview_id,
                transcript.pk,
                first,
                int(lines[-1].key),  # type: ignore[call-overload]
                max(start, lines[0].start) - lines[0].start + leading,
                words,
                kind or NoteKind.NOTE.value,
                points,
                others,
            )
        )
        return None

    @staticmethod
    def find(words: str, text: str, start: int, length: int) -> tuple[int, int] | None:
        """Where `words` are in `text`, nearest where they were (`start` of `length`)."""
        pattern = loose(words)
        if pattern is None:
            return None
        matches = [(m.start(), m.end()) for m in pattern.finditer(text)]
        return nearest(matches, start * len(text) / max(length, 1))


def covered(lines: list[Line], start: int, end: int) -> list[Line]:
    """The lines whose words [start, end) overlaps."""
    starts = [line.start for line in lines]
    index = max(bisect.bisect_right(starts, start) - 1, 0)
    found = []
    for line in lines[index:]:
        if line.start >= end:
            break
        if max(start, line.start) < min(end, line.end):
            found.append(line)
    return found


def plan(study: Study, project: Project, archive: Archive) -> Plan:
    return Planner(study, project, archive).run()


def per_interview(planned: Iterable[Planned]) -> Counter[int]:
    return Counter(item.interview for item in planned)
