"""Reading a participant CSV and checking it, row by row, before anything is saved.

Pure functions, no database: the import services and the tests call them directly.
Row numbers are those a spreadsheet shows: the header is row 1, the first participant row 2.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from heard.participants.profile import PROFILE_VALUE_MAX_LENGTH, ProfileKey, key_from_header

IGNORE = "ignore"
NEW_PROFILE_FIELD = "new"
PROFILE_PREFIX = "profile:"

STANDARD_FIELDS = ("name", "email", "company", "role", "segment")
FIELD_LABELS = {
    "name": "Name",
    "email": "Email",
    "company": "Company",
    "role": "Role or title",
    "segment": "Segment",
}
# The lengths the Participant model allows.
MAX_LENGTHS = {"name": 200, "email": 254, "company": 200, "role": 200, "segment": 100}
MAX_COLUMNS = 100

# Header names (lower case, punctuation as spaces) that say which field a column holds.
SYNONYMS = {
    "name": {"name", "full name", "participant", "participant name", "contact", "contact name",
             "customer", "customer name", "person", "interviewee"},
    "email": {"email", "e mail", "email address", "e mail address", "mail", "work email"},
    "company": {"company", "company name", "organisation", "organization", "org", "account",
                "account name", "employer", "customer company"},
    "role": {"role", "title", "job title", "job", "position", "role or title", "job role"},
    "segment": {"segment", "customer segment", "persona", "cohort", "market segment"},
}  # fmt: skip

_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zipped file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
)
_SAVE_AS_CSV = (
    "In your spreadsheet choose File → Save as (or Download) → CSV UTF-8, then upload that file."
)
NOT_UTF8 = "This file is not UTF-8 text; save it as CSV UTF-8 and upload again."


class ImportFileError(ValueError):
    """The file as a whole cannot be read as a participant table."""


# Reading the file ---------------------------------------------------------------------------


def decode_upload(data: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark; anything else is refused."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(
            "This file is empty. Upload a CSV file with a header row and one row per participant."
        )
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ImportFileError(
                f"This file is {kind}, not CSV text (perhaps it was renamed to .csv). {_SAVE_AS_CSV}"
            )
    utf16 = _utf16_flavour(data)
    if utf16:
        raise ImportFileError(f"{NOT_UTF8} (It looks like {utf16}.)")
    if b"\x00" in data:
        raise ImportFileError(
            f"This is a binary file, not CSV text (it contains NUL bytes). {_SAVE_AS_CSV}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        where = f" The first character that is not UTF-8 is on line {line}."
        guess = _likely_legacy_encoding(data)
        hint = f" (It looks like {guess}.)" if guess else ""
        raise ImportFileError(f"{NOT_UTF8}{hint}{where}") from None


def _utf16_flavour(data: bytes) -> str:
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16, which Excel calls “Unicode Text”"
    sample = data[:4000]
    if len(sample) >= 8:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        if max(even_nuls, odd_nuls) > 0.6 * half and min(even_nuls, odd_nuls) < 0.05 * half:
            return "UTF-16 without a byte-order mark"
    return ""


def _likely_legacy_encoding(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return "Windows-1252 or Latin-1, which Excel uses for plain “CSV”"


@dataclass(frozen=True)
class Row:
    number: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]
    blank_rows: int = 0

    def column_name(self, index: int) -> str:
        header = self.headers[index].strip() if index < len(self.headers) else ""
        return header or f"Column {index + 1}"

    def samples(self, index: int, count: int = 3) -> list[str]:
        """The first few different values of a column, as examples."""
        values: list[str] = []
        for row in self.rows:
            value = row.cells[index].strip() if index < len(row.cells) else ""
            if value and value not in values:
                values.append(value)
            if len(values) == count:
                break
        return values


def _delimiter(first_line: str) -> str:
    """Comma, or what a European Excel or a tab-separated export used instead."""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _looks_like_email(value: str) -> bool:
    try:
        validate_email(value.strip())
    except ValidationError:
        return False
    return True


def read_table(text: str, max_rows: int) -> Table:
    """Split the text into a header and rows; refuse a file with no header or too many rows."""
    text = text.lstrip("\ufeff")
    first_line, _, rest = text.partition("\n")
    line_offset = 0
    sep_hint = re.fullmatch(r"sep=(.)\r?", first_line)
    if sep_hint:  # Excel's "sep=;" first line names the delimiter
        delimiter = sep_hint.group(1)
        text = rest
        line_offset = 1
    else:
        delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[Row] = []
    blank = 0
    number = line_offset
    try:
        for cells in reader:
            number += 1
            if headers is None:
                headers = _check_header(cells)
                continue
            if _is_blank(cells):
                blank += 1
                continue
            rows.append(Row(number, cells))
    except csv.Error as error:
        raise ImportFileError(
            f"Row {number + 1} cannot be read as CSV ({error}). Check the quotes in that row."
        ) from None
    if headers is None:
        raise ImportFileError(
            "This file is empty. Upload a CSV file with a header row and one row per participant."
        )
    if not rows:
        raise ImportFileError(
            "This file has a header row but no participants in it. Add one row per participant."
        )
    if len(rows) > max_rows:
        raise ImportFileError(
            f"This file has {len(rows):,} rows of participants; one import takes at most "
            f"{max_rows:,}. Split it into files of {max_rows:,} rows or fewer and import each."
        )
    return Table(headers=headers, rows=rows, blank_rows=blank)


def _check_header(cells: list[str]) -> list[str]:
    if _is_blank(cells):
        raise ImportFileError(
            "The first row is empty. It must name the columns, for example: Name, Email, Company."
        )
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            f"This file has {len(cells)} columns; an import reads at most {MAX_COLUMNS}. "
            "Remove the columns you do not need."
        )
    for cell in cells:
        if "@" in cell and _looks_like_email(cell):
            raise ImportFileError(
                "The first row looks like a participant (it holds the email address "
                f"“{cell.strip()}”), not the names of the columns. Add a header row, for "
                "example: Name, Email, Company."
            )
    return [cell.strip() for cell in cells]


# Choosing what each column becomes ----------------------------------------------------------


def _normalise(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.lower()).split())


def profile_target(key: str) -> str:
    return f"{PROFILE_PREFIX}{key}"


def new_key_for(header: str, index: int) -> str:
    """The profile key a column becomes as a new profile field (`profile:x` columns keep x)."""
    stripped = header.strip()
    if stripped.lower().startswith(PROFILE_PREFIX):  # a column of Heard's own export
        stripped = stripped[len(PROFILE_PREFIX) :]
    return key_from_header(stripped, index)


def guess_mapping(headers: Sequence[str], profile_keys: Sequence[ProfileKey]) -> list[str]:
    """A first choice per column, from its header; columns nobody recognises are ignored."""
    by_key = {item.key: item.key for item in profile_keys}
    by_label = {_normalise(item.label): item.key for item in profile_keys}
    guesses: list[str] = []
    taken: set[str] = set()
    for index, header in enumerate(headers):
        guess = _guess_one(header, index, by_key, by_label)
        if guess in taken and guess != IGNORE:
            guess = IGNORE
        if guess not in (IGNORE, NEW_PROFILE_FIELD):
            taken.add(guess)
        guesses.append(guess)
    return guesses


def _guess_one(header: str, index: int, by_key: dict[str, str], by_label: dict[str, str]) -> str:
    stripped = header.strip()
    if stripped.lower().startswith(PROFILE_PREFIX):  # a column of Heard's own export
        key = new_key_for(stripped, index)
        return profile_target(key) if key in by_key else NEW_PROFILE_FIELD
    normal = _normalise(stripped)
    for name, words in SYNONYMS.items():
        if normal in words:
            return name
    key = key_from_header(stripped, index)
    if key in by_key:
        return profile_target(key)
    if normal in by_label:
        return profile_target(by_label[normal])
    return IGNORE


@dataclass(frozen=True)
class ColumnTarget:
    """Where a column's values go: a standard field, or a profile key."""

    index: int
    header: str
    field: str = ""
    profile_key: str = ""
    new_key: bool = False

    @property
    def label(self) -> str:
        if self.field:
            return FIELD_LABELS[self.field]
        return f"Profile: {self.profile_key}"


@dataclass(frozen=True)
class ResolvedMapping:
    targets: list[ColumnTarget]
    ignored: list[str]

    @property
    def fields(self) -> set[str]:
        return {t.field for t in self.targets if t.field}


class MappingError(ValueError):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def resolve_mapping(
    table: Table, mapping: Sequence[str], known_keys: Sequence[str]
) -> ResolvedMapping:
    """Turn the chosen targets into column targets; refuse a mapping without a name column
    or with two columns going to the same place."""
    if len(mapping) != len(table.headers):
        raise MappingError(["The columns of the file and the choices do not match. Choose again."])
    targets: list[ColumnTarget] = []
    ignored: list[str] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for index, choice in enumerate(mapping):
        header = table.column_name(index)
        if choice == IGNORE:
            ignored.append(header)
            continue
        if choice in STANDARD_FIELDS:
            target = ColumnTarget(index, header, field=choice)
            place = choice
        elif choice == NEW_PROFILE_FIELD:
            key = new_key_for(table.headers[index], index)
            target = ColumnTarget(index, header, profile_key=key, new_key=key not in known_keys)
            place = profile_target(key)
        elif choice.startswith(PROFILE_PREFIX) and choice[len(PROFILE_PREFIX) :] in known_keys:
            target = ColumnTarget(index, header, profile_key=choice[len(PROFILE_PREFIX) :])
            place = choice
        else:
            errors.append(f"“{header}”: choose what this column holds again.")
            continue
        if place in seen:
            errors.append(
                f"Both “{seen[place]}” and “{header}” go to {target.label}. Choose one, and set "
                "the other to “Don't import”."
            )
            continue
        seen[place] = header
        targets.append(target)
    if "name" not in seen and not errors:
        errors.append(
            "Choose the column that holds each participant's name: every participant needs one. "
            "If the file has no such column, add one and upload the file again."
        )
    if errors:
        raise MappingError(errors)
    return ResolvedMapping(targets=targets, ignored=ignored)


# Checking the rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    number: int
    values: dict[str, str] = field(default_factory=dict)
    profile: dict[str, str] = field(default_factory=dict)
    ok: bool = True

    @property
    def email_key(self) -> str:
        return self.values.get("email", "").lower()


def check_rows(table: Table, mapping: ResolvedMapping) -> tuple[list[ParsedRow], list[Problem]]:
    """Every row's values, and every problem found, by row number and column."""
    parsed: list[ParsedRow] = []
    problems: list[Problem] = []
    first_row_of_email: dict[str, int] = {}
    width = len(table.headers)
    for row in table.rows:
        found: list[Problem] = []
        item = ParsedRow(row.number)
        extra = [cell for cell in row.cells[width:] if cell.strip()]
        if extra:
            found.append(
                Problem(
                    row.number,
                    f"Column {width + 1} onwards",
                    f"This row has {len(row.cells)} cells but the header names {width} columns; "
                    "a comma inside a value may need quotes.",
                )
            )
        for target in mapping.targets:
            value = row.cells[target.index].strip() if target.index < len(row.cells) else ""
            if target.field:
                item.values[target.field] = value
                limit = MAX_LENGTHS[target.field]
            else:
                if value:
                    item.profile[target.profile_key] = value
                limit = PROFILE_VALUE_MAX_LENGTH
            if len(value) > limit:
                found.append(
                    Problem(
                        row.number,
                        target.header,
                        f"{len(value):,} characters long; the most this field takes is {limit:,}.",
                    )
                )
        found += _check_name_and_email(item, mapping, first_row_of_email)
        item.ok = not found
        problems += found
        parsed.append(item)
    return parsed, problems


def _check_name_and_email(
    item: ParsedRow, mapping: ResolvedMapping, first_row_of_email: dict[str, int]
) -> list[Problem]:
    found = []
    headers = {t.field: t.header for t in mapping.targets if t.field}
    if not item.values.get("name"):
        found.append(Problem(item.number, headers["name"], "The name is empty."))
    email = item.values.get("email", "")
    if email:
        if not _looks_like_email(email):
            found.append(
                Problem(item.number, headers["email"], f"“{email}” is not an email address.")
            )
        elif item.email_key in first_row_of_email:
            found.append(
                Problem(
                    item.number,
                    headers["email"],
                    f"{email} is also on row {first_row_of_email[item.email_key]}; each "
                    "participant's email must appear once. Merge the two rows.",
                )
            )
        else:
            first_row_of_email[item.email_key] = item.number
    return found
