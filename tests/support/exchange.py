"""REFI-QDA projects for the exchange tests: a study with every kind of thing a project holds
(hostile text included), a project's parts read back, and the schemas to check them with."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xmlschema
from lxml import etree

from heard.accounts.models import User
from heard.interviews.models import Interview, Note, NoteKind, Transcript, TranscriptSpeaker
from heard.interviews.transcripts import highlights, speakers
from heard.interviews.transcripts.imports import import_transcript
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.models import Quote
from heard.synthesis.summaries import services as summaries
from tests.support import factories
from tests.support.matrix import held
from tests.support.personas import Team
from tests.support.transcripts import upload_of, vtt_of

SCHEMAS = Path(__file__).resolve().parents[2] / "src" / "heard" / "exchange" / "schemas"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
NS = {"q": PROJECT_NS}

# Text no export may break on: markup, an ampersand, the end of a CDATA section, and control
# characters XML 1.0 cannot hold (even escaped).
HOSTILE = '<script>alert("x")</script> & ]]> \x07\x0b\x1b[31m'


@cache
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd"))


@cache
def codebook_schema() -> xmlschema.XMLSchema:
    """No Codebook schema is published beside Project.xsd: a codebook is the project's
    `CodeBookType`, in the codebook's namespace, as its root `CodeBook`."""
    text = (SCHEMAS / "Project.xsd").read_text(encoding="utf-8").replace(PROJECT_NS, CODEBOOK_NS)
    declared = '<xsd:element name="CodeBook" type="CodeBookType"/>'
    text = text.replace("<!-- ===== Type Definitions ===== -->", declared, 1)
    return xmlschema.XMLSchema(text)


@dataclass
class Qdpx:
    """A `.qdpx` file read back: its XML, and each source's text by GUID."""

    names: list[str]
    xml: bytes
    texts: dict[str, str]

    @property
    def root(self) -> etree._Element:
        return etree.fromstring(self.xml)

    def sources(self) -> list[etree._Element]:
        return self.root.findall("q:Sources/q:TextSource", NS)

    def source(self, guid: str) -> etree._Element:
        [found] = [s for s in self.sources() if s.get("guid") == guid]
        return found

    def selections(self) -> list[tuple[etree._Element, str]]:
        """Every coded selection, with the words its positions give in its source's text."""
        found = []
        for source in self.sources():
            text = self.texts[source.get("guid")]
            for selection in source.findall("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                found.append((selection, text[start:end]))
        return found

    def codes(self) -> dict[str, str]:
        return {c.get("guid"): c.get("name") for c in self.root.iter(f"{{{PROJECT_NS}}}Code")}


def read_qdpx(data: bytes) -> Qdpx:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        xml = archive.read("project.qde")
        texts = {
            name.removeprefix("sources/").removesuffix(".txt"): archive.read(name).decode("utf-8")
            for name in names
            if name.startswith("sources/")
        }
    return Qdpx(names, xml, texts)


def qdpx_of(xml: bytes, texts: dict[str, str | bytes], extra: dict[str, bytes] | None = None):
    """A `.qdpx` file made of `xml` and sources (by file name), and any other members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for name, text in texts.items():
            archive.writestr(f"sources/{name}", text.encode() if isinstance(text, str) else text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


@dataclass
class Coded:
    """A study with an interview held, its transcript and notes, highlights and quotes."""

    study: Study
    points: list[ValidationPoint]
    interview: Interview
    transcript: Transcript
    highlights: list[Note]
    notes: list[Note]
    quotes: list[Quote]


LINES = [
    (1.0, 4.0, "Olivia Owner", "Thanks for making the time today."),
    (5.0, 9.0, "Bo Chen", "We close the books every month, and it takes four days."),
    (10.0, 12.0, "Olivia Owner", "Four days: what takes longest?"),
    (12.5, 16.0, "Bo Chen", "Chasing receipts. Every single month, for every card."),
    (16.5, 20.0, "Bo Chen", "I tried Expensify & Ramp; neither fits how we <close> books."),
    (21.0, 25.0, "Olivia Owner", "What would change if that took a day?"),
    (25.5, 31.0, "Bo Chen", "I would finally sleep in the first week of the month. Really."),
]


def coded_study(team: Team, *, hostile: bool = True) -> Coded:
    """A study of two points, one interview held with Bo Chen (of Acme & Co), its transcript
    (speakers said), three highlights, two notes of the call, a summary quoting a highlight
    and a note. With `hostile`, hostile text in the title, a point, a name, a line and a note."""
    ws, owner = team.workspace, team.owner
    extra = f" {HOSTILE}" if hostile else ""
    study = factories.study(ws, title=f"Month-end close{extra}")
    points = [
        factories.point(study, f"Closing the books takes days{extra}", 0),
        factories.point(study, "Teams would pay to close faster", 1),
    ]
    person = factories.participant(
        ws,
        name="Bo Chen",
        company=f"Acme & Co{extra}",
        role="Controller",
        segment="SMB",
        profile={"team_size": "12", "tools": f"Excel{extra}"},
    )
    interview = held(study, person, interviewer=owner)
    transcript = import_transcript(interview, owner, upload_of("call.vtt", vtt_of(LINES)), None)
    team_members = list(interview.team.select_related("user"))
    answers = {}
    for speaker in TranscriptSpeaker.objects.filter(interview=interview):
        value = f"user:{owner.pk}" if speaker.label == "Olivia Owner" else speakers.PARTICIPANT
        answers[speaker.pk] = (value, "")
    speakers.save_mapping(interview, answers, team_members, owner)
    lines = list(transcript.segments.order_by("index"))
    if hostile:
        lines[6].text = f"I would finally sleep {HOSTILE} in the first week."
        lines[6].save(update_fields=["text"])
    marks = [
        _highlight(
            transcript, lines[1], None, "it takes four days", NoteKind.PAIN, [points[0]], owner
        ),
        _highlight(
            transcript,
            lines[3],
            lines[4],
            "Every single month, for every card. I tried Expensify",
            NoteKind.QUOTE,
            points,
            owner,
        ),
        _highlight(transcript, lines[4], None, "Ramp", NoteKind.COMPETITION, [], owner),
    ]
    notes = [
        Note.objects.create(
            id=uuid.uuid4(),
            interview=interview,
            author=owner,
            kind=NoteKind.PAIN,
            text=f"Four days to close{extra}\nevery month",
            elapsed_seconds=65,
        ),
        Note.objects.create(
            id=uuid.uuid4(),
            interview=interview,
            author=team.teammate,
            kind=NoteKind.KPI,
            text="Days to close: 4",
            elapsed_seconds=130,
        ),
    ]
    summary = summaries.start_summary(interview, owner)
    quotes = [
        summaries.add_quote(summary, points[0], owner, marks[0]),
        summaries.add_quote(summary, points[1], owner, notes[1]),
    ]
    summaries.edit_quote(quotes[1], text="to close: 4")
    quotes[1].refresh_from_db()
    return Coded(study, points, interview, transcript, marks, notes, quotes)


def _highlight(
    transcript: Transcript, first, last, words: str, kind: str, points, user: User
) -> Note:
    span = highlights.locate(transcript, first.pk, last.pk if last else None, words)
    return highlights.add(transcript, span, kind, points, user)
