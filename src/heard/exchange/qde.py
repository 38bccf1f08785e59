"""Reading `project.qde`, the XML of a REFI-QDA project, which may be hostile.

The parser resolves no entity, loads no DTD and reaches no network (no XXE: an external
entity is never fetched; no "billion laughs": an entity is never expanded), and a document
with a DOCTYPE is refused outright: QDA-XML has none. The document must then be a valid
QDA-XML project (`schemas/Project.xsd`); only then is anything read from it, into plain data:
its codes, its text sources and their coded selections.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from heard.exchange.guids import plain
from heard.exchange.markup import PROJECT

SCHEMA = Path(__file__).resolve().parent / "schemas" / "Project.xsd"
NS = f"{{{PROJECT}}}"
# The most coded selections one project may bring.
MAX_SELECTIONS = 50_000
# "<!DOCTYPE", and the start of an element, in any case and in UTF-8 or UTF-16 (each letter
# may have a NUL byte beside it).
DOCTYPE = re.compile(b"\\x00?".join(re.escape(bytes([c])) for c in b"<!DOCTYPE"), re.IGNORECASE)
ELEMENT = re.compile(rb"<\x00?[A-Za-z_]")
REFUSED_DOCTYPE = (
    "project.qde declares a DOCTYPE, which REFI-QDA projects never have (it could make the "
    "file read other files or grow without end): the project was refused."
)


class ProjectError(Exception):
    """The project cannot be read; the message says why, for the person."""


@dataclass(frozen=True)
class Coded:
    """A coded selection of a text source: [start, end) and the GUIDs of its codes."""

    guid: str
    name: str
    start: int
    end: int
    codes: tuple[str, ...]


@dataclass
class TextSource:
    guid: str
    name: str
    path: str  # plainTextPath, "" when the text is in the XML
    content: str | None  # PlainTextContent
    selections: list[Coded] = field(default_factory=list)
    whole_codings: int = 0  # codes given to the whole source, which Heard does not take


@dataclass
class Project:
    origin: str
    codes: dict[str, str]  # GUID → name, of every code of the codebook
    sources: list[TextSource]
    other_sources: dict[str, int]  # pictures, PDFs, audio and video, by kind: how many


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), _parser()))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes) -> Project:
    """The project in `data` (project.qde's bytes), checked; ProjectError if it is not one."""
    doctype, element = DOCTYPE.search(data), ELEMENT.search(data)
    if doctype is not None and (element is None or doctype.start() < element.start()):
        raise ProjectError(REFUSED_DOCTYPE)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise ProjectError(
            f"project.qde is not well-formed XML ({_plain(str(error))}): export the project "
            "again from your program."
        ) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ProjectError(REFUSED_DOCTYPE)
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise ProjectError("project.qde refers to entities: the project was refused.")
    if root.tag != f"{NS}Project":
        raise ProjectError(
            f"project.qde is not a REFI-QDA project: its root is <{_local(root.tag)}>, not "
            "<Project> of QDA-XML (urn:QDA-XML:project:1.0)."
        )
    schema = _schema()
    if not schema.validate(root):
        first = next(iter(schema.error_log), None)
        where = f" (line {first.line})" if first is not None and first.line else ""
        what = _plain(first.message) if first is not None else "it does not follow the schema"
        raise ProjectError(
            f"project.qde is not a valid REFI-QDA project{where}: {what}. Export the project "
            "again, or check the program that wrote it follows REFI-QDA 1.0."
        )
    return _read(root)


# A position past any text Heard keeps (a transcript is far shorter than this).
MAX_POSITION = 10**12


def _position(selection: etree._Element, name: str) -> int:
    """A selection's position, which the schema lets be an integer of any length: one of
    more digits than any text has is read as just past the end (or before the start), so the
    selection is skipped as outside its text, as any other such position is."""
    written = (selection.get(name) or "0").strip()
    digits = written.lstrip("+-")
    if not digits.isdigit():
        raise ProjectError(f"A coded selection's {name} ({written[:20]}) is not a number.")
    if len(digits) > len(str(MAX_POSITION)):
        return -1 if written.startswith("-") else MAX_POSITION + 1
    return int(written)


def _read(root: etree._Element) -> Project:
    codes: dict[str, str] = {}
    for code in root.iterfind(f"{NS}CodeBook/{NS}Codes//{NS}Code"):
        codes[plain(code.get("guid", ""))] = code.get("name", "")
    sources: list[TextSource] = []
    others: dict[str, int] = {}
    count = 0
    for element in root.iterfind(f"{NS}Sources/*"):
        kind = _local(element.tag)
        if kind != "TextSource":
            others[kind] = others.get(kind, 0) + 1
            continue
        content = element.find(f"{NS}PlainTextContent")
        source = TextSource(
            plain(element.get("guid", "")),
            element.get("name", ""),
            element.get("plainTextPath", ""),
            content.text or "" if content is not None else None,
            whole_codings=len(element.findall(f"{NS}Coding")),
        )
        for selection in element.iterfind(f"{NS}PlainTextSelection"):
            count += 1
            if count > MAX_SELECTIONS:
                raise ProjectError(
                    f"This project holds more than {MAX_SELECTIONS:,} coded selections; "
                    "Heard imports up to that many at once. Export fewer documents."
                )
            source.selections.append(
                Coded(
                    plain(selection.get("guid", "")),
                    selection.get("name", ""),
                    _position(selection, "startPosition"),
                    _position(selection, "endPosition"),
                    tuple(
                        plain(ref.get("targetGUID", ""))
                        for ref in selection.iterfind(f"{NS}Coding/{NS}CodeRef")
                    ),
                )
            )
        sources.append(source)
    return Project(root.get("origin", ""), codes, sources, others)


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _plain(message: str) -> str:
    """An lxml message without the namespace in every name, and short."""
    text = message.replace(NS, "").strip().rstrip(".")
    return text if len(text) <= 300 else text[:299] + "…"
