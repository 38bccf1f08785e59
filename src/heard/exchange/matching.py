"""Which of a study's things an imported project's parts are: which transcript a text source
is (`Transcripts`), and what each code means in the study (`CodeReading`); `planning.py`
plans highlights with them.

**Which transcript.** A text source is an interview's transcript when it has the GUID Heard
gave that transcript, else when its name is the one Heard gave it, else when its text is the
text Heard writes for it (line breaks aside: another program may have written "\\r\\n").
Other sources (the notes of the call, documents the analyst added, pictures, PDFs, audio)
take no highlights.

**Codes.** A code that is one of the study's current validation points (by Heard's GUID, else
by its name or statement) marks the highlight with that point; one that is a kind of note
Heard highlights (by GUID, else by name: "Pain", "KPI"…) gives its kind (else a plain note);
any other code is kept with the highlight by name and GUID (`ImportedCodes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from heard.exchange.codebook import point_name
from heard.exchange.guids import Guids, Thing
from heard.exchange.qde import TextSource
from heard.exchange.sources import SourceText, transcript_name, transcript_text
from heard.exchange.text import BREAKS, Rewritten, one_line
from heard.interviews.models import (
    SAID_KINDS,
    Interview,
    NoteKind,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.transcripts import speakers, store
from heard.participants.pseudonyms import Pseudonyms
from heard.studies.models import Study, ValidationPoint

NOBODY = Pseudonyms([], {}, on=False)


def key(text: str) -> str:
    return " ".join(text.casefold().split())


class CodeReading:
    """What each code of the project means in the study: a point, a kind, or neither."""

    def __init__(self, study: Study, guids: Guids, codes: dict[str, str]) -> None:
        self.codes = codes
        current = list(ValidationPoint.objects.current().filter(study=study))
        self.points: dict[str, ValidationPoint] = {}
        for point in current:
            self.points[guids.of(Thing.POINT, point.pk)] = point
        by_name: dict[str, ValidationPoint] = {}
        for point in current:
            by_name.setdefault(key(point_name(point)), point)
            by_name.setdefault(key(point.statement), point)
        self.points_by_name = by_name
        self.kinds = {guids.of(Thing.NOTE_KIND, kind.value): kind.value for kind in SAID_KINDS}
        self.kinds_by_name = {key(str(kind.label)): kind.value for kind in SAID_KINDS} | {
            key(kind.value): kind.value for kind in SAID_KINDS
        }
        # Heard's own codes that no highlight takes: the parents, the kinds of the call alone.
        self.ignored = {guids.of(Thing.NOTE_KINDS, ""), guids.of(Thing.OTHER_CODES, "")} | {
            guids.of(Thing.NOTE_KIND, kind.value) for kind in NoteKind if kind not in SAID_KINDS
        }
        self.archived = {
            guids.of(Thing.POINT, point.pk)
            for point in ValidationPoint.objects.archived().filter(study=study)
        }

    def read(self, guids: Iterable[str]) -> tuple[str | None, list[int], list[dict[str, str]]]:
        """The kind, the points' ids and the other codes (GUID and name) of a selection."""
        kinds: list[str] = []
        points: list[int] = []
        others: list[dict[str, str]] = []
        for guid in dict.fromkeys(guids):
            if guid not in self.codes or guid in self.ignored:
                continue  # a code the codebook does not hold, or a parent
            name = self.codes[guid]
            point = self.points.get(guid) or (
                None if guid in self.archived else self.points_by_name.get(key(name))
            )
            kind = self.kinds.get(guid) or self.kinds_by_name.get(key(name))
            if point is not None:
                points.append(point.pk)
            elif kind is not None:
                kinds.append(kind)
            else:
                others.append({"guid": guid, "name": one_line(name, 200) or "Unnamed code"})
        ordered = [kind.value for kind in SAID_KINDS if kind.value in kinds]
        return (ordered[0] if ordered else None), points, others


@dataclass
class Candidate:
    """A transcript of the study, as Heard writes it (names, no pseudonyms)."""

    transcript: Transcript
    name: str
    built: SourceText | None = None

    @property
    def text(self) -> SourceText:
        if self.built is None:
            interview = self.transcript.interview
            used = TranscriptSpeaker.objects.filter(interview=interview).select_related("user")
            names = speakers.names_for(interview, used)
            self.built = transcript_text(store.segments_of(self.transcript), names, NOBODY)
        return self.built


def candidates(study: Study, guids: Guids) -> dict[str, Candidate]:
    """The study's current, ready transcripts by the GUID Heard gives them."""
    found: dict[str, Candidate] = {}
    interviews = Interview.objects.filter(study=study).select_related("participant")
    for interview in interviews.order_by("starts_at", "pk"):
        current = list(
            Transcript.objects.filter(
                interview=interview, status=TranscriptStatus.READY, superseded_at__isnull=True
            ).order_by("created_at", "pk")
        )
        day = f"{interview.local_start:%Y-%m-%d}"
        for number, transcript in enumerate(current, 1):
            transcript.interview = interview
            name = transcript_name(interview.participant.name, day, number, len(current))
            found[guids.of(Thing.TRANSCRIPT, transcript.pk)] = Candidate(transcript, name)
    return found


class Transcripts:
    """The study's current, ready transcripts, by GUID and by name, and which of them a text
    source is (`match`)."""

    def __init__(self, study: Study, guids: Guids) -> None:
        self.candidates = candidates(study, guids)
        self.by_name: dict[str, list[Candidate]] = {}
        for candidate in self.candidates.values():
            self.by_name.setdefault(key(candidate.name), []).append(candidate)

    def match(self, source: TextSource, text: str) -> Candidate | None:
        found = self.candidates.get(source.guid)
        if found is not None:
            return found
        named = self.by_name.get(key(source.name), [])
        if len(named) == 1:
            return named[0]
        wanted = normalise(text).text.rstrip("\n")
        for candidate in self.candidates.values():
            if candidate.text.text.rstrip("\n") == wanted:
                return candidate
        return None


def normalise(text: str) -> Rewritten:
    """The text with every line break "\\n", as Heard writes them."""
    return Rewritten.of(text, ((m.start(), m.end(), "\n") for m in BREAKS.finditer(text)))
