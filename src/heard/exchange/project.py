"""A study as a REFI-QDA project (`.qdpx`): a ZIP of `project.qde`, the QDA-XML project, and
`sources/<guid>.txt`, the plain text of each source.

- **Sources**: each interview's current, ready transcripts (a text source each) and its notes
  of the call (one text source per interview), read from the study with their coded selections
  by `selections.py`, their text as `sources.py` writes it.
- **Codes**: the study's validation points, the kinds of note, and the codes of other tools
  that imported highlights kept (`codebook.py`).
- **Coded selections**: each highlight, coded with its kind and its points (and the codes it
  came with); each quote of a summary, coded with its point, where its words are (in the
  transcript for a quote of a highlight, in the notes for a quote of a note); each note of the
  call, coded with its kind (`selections.py`).
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
from dataclasses import dataclass, field
from typing import IO

from django.utils import timezone
from lxml import etree

from heard.accounts.models import User
from heard.core.downloads import name_part
from heard.exchange import codebook
from heard.exchange.guids import Guids, Thing
from heard.exchange.markup import PROJECT, Markup, serialised, when
from heard.exchange.selections import CodedSources, Selection, Source
from heard.exchange.sources import SourceText
from heard.exchange.text import one_line, paragraphs
from heard.participants import pseudonyms
from heard.participants.models import Participant
from heard.participants.profile import display_value, label_for_key
from heard.participants.pseudonyms import Pseudonyms
from heard.participants.services import profile_keys
from heard.studies.models import Study

SOURCES = "sources"
NAME_MOST = 100


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
        self.coded = CodedSources(study, hide, self.guids)
        self.written = Written(left_out=self.coded.left_out)
        self.users: set[int] = {exporter.pk}
        self.profile_labels = {key.key: key.label for key in profile_keys(study.workspace)}

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
            for interview in self.coded.interviews():
                for source in self.coded.of_interview(interview):
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
            for guid in self.coded.by_participant.get(person.pk, ()):
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
