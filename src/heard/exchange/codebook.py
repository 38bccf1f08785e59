"""A study's codes, as a project's `CodeBook` and as a codebook file (`.qdc`).

Each validation point is a code (its label and statement the name; the statement, what would
confirm or refute it and its priority the description). Each kind of note is a code under
"Kinds of note" (a highlight is coded with its kind, a note of the call too). Codes of other
tools that imported highlights kept (`ImportedCodes`) come back under "Codes from other
tools", with the GUIDs those tools gave them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from heard.exchange.guids import Guids, Thing, plain
from heard.exchange.markup import CODEBOOK, Markup, serialised
from heard.exchange.models import ImportedCodes
from heard.exchange.text import one_line, paragraphs
from heard.interviews.models import NoteKind
from heard.studies.models import Study, ValidationPoint

NOTE_KINDS = "Kinds of note"
OTHER_CODES = "Codes from other tools"
NAME_MOST = 100


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    description: str = ""
    codable: bool = True
    children: tuple[Code, ...] = ()


def point_name(point: ValidationPoint) -> str:
    """`VP1 Small teams rebuild reports by hand`: the code's name, one line."""
    return one_line(f"{point.label} {point.statement}", NAME_MOST)


def _point_description(point: ValidationPoint) -> str:
    parts = [f"{point.get_kind_display()} ({point.get_priority_display()} priority).", ""]
    parts.append(point.statement)
    if point.confirm_if:
        parts += ["", f"Confirmed if: {point.confirm_if}"]
    if point.refute_if:
        parts += ["", f"Refuted if: {point.refute_if}"]
    if point.is_archived:
        parts += ["", "Archived in Heard: kept for what rests on it, not offered for new work."]
    return paragraphs("\n".join(parts))


def kind_codes(guids: Guids) -> Code:
    kinds = tuple(Code(guids.of(Thing.NOTE_KIND, kind.value), str(kind.label)) for kind in NoteKind)
    return Code(
        guids.of(Thing.NOTE_KINDS, ""),
        NOTE_KINDS,
        "What the team noted or highlighted: a pain, a quote, a KPI… Each highlight and each "
        "note of the call is coded with its kind.",
        codable=False,
        children=kinds,
    )


def other_codes(kept: Iterable[Sequence[dict[str, str]]], guids: Guids) -> Code | None:
    """The codes of other tools that highlights of the study kept, each once (by GUID)."""
    seen: dict[str, str] = {}
    for codes in kept:
        for code in codes:
            guid, name = plain(str(code.get("guid", ""))), one_line(str(code.get("name", "")))
            if guid and guid not in seen:
                seen[guid] = name
    if not seen:
        return None
    children = tuple(Code(guid, name or "Unnamed code") for guid, name in seen.items())
    return Code(
        guids.of(Thing.OTHER_CODES, ""),
        OTHER_CODES,
        "Codes that highlights imported into Heard were coded with in another program.",
        codable=False,
        children=children,
    )


def codes_of(study: Study, guids: Guids, *, with_other_codes: bool = True) -> list[Code]:
    """The study's validation points (archived ones too), the kinds of note, and the codes of
    other tools its highlights kept."""
    points = ValidationPoint.objects.filter(study=study).order_by("position", "pk")
    codes = [
        Code(guids.of(Thing.POINT, point.pk), point_name(point), _point_description(point))
        for point in points
    ]
    codes.append(kind_codes(guids))
    if with_other_codes:
        kept = ImportedCodes.objects.filter(
            highlight__interview__study=study, highlight__deleted_at__isnull=True
        ).values_list("codes", flat=True)
        other = other_codes(kept, guids)
        if other is not None:
            codes.append(other)
    return codes


def add_codes(markup: Markup, parent: etree._Element, codes: Iterable[Code]) -> None:
    for code in codes:
        element = markup.add(parent, "Code", guid=code.guid, name=code.name, isCodable=code.codable)
        if code.description:
            markup.add(element, "Description", code.description)
        add_codes(markup, element, code.children)


def codebook_file(study: Study) -> bytes:
    """The `.qdc` file: `CodeBook` in the codebook's namespace, the study's points and the
    kinds of note, as the study's project has them."""
    markup = Markup(CODEBOOK)
    root = markup.root("CodeBook")
    codes = markup.add(root, "Codes")
    add_codes(markup, codes, codes_of(study, Guids(study.workspace), with_other_codes=False))
    return serialised(root)
