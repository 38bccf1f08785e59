"""Checking a participant CSV (read by `csv_file`), row by row, before anything is saved.

Pure functions, no database: the import services and the tests call them directly.
Row numbers are those a spreadsheet shows: the header is row 1, the first participant row 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from heard.participants.csv_file import Table, looks_like_email
from heard.participants.profile import (
    PROFILE_VALUE_MAX_LENGTH,
    ROLE_NAMES,
    ProfileKey,
    key_from_header,
    plain_words,
)

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

# The last column of Heard's own export: when each participant was added, never imported.
ADDED_ON = "Added on"

# Header names (lower case, punctuation as spaces) that say which field a column holds.
SYNONYMS = {
    "name": {"name", "full name", "participant", "participant name", "contact", "contact name",
             "customer", "customer name", "person", "interviewee"},
    "email": {"email", "e mail", "email address", "e mail address", "mail", "work email"},
    "company": {"company", "company name", "organisation", "organization", "org", "account",
                "account name", "employer", "customer company"},
    "role": set(ROLE_NAMES),
    "segment": {"segment", "customer segment", "persona", "cohort", "market segment"},
}  # fmt: skip

# Choosing what each column becomes ----------------------------------------------------------


def profile_target(key: str) -> str:
    return f"{PROFILE_PREFIX}{key}"


def new_key_for(header: str, index: int) -> str:
    """The profile key a column becomes as a new profile field (`profile:x` columns keep x)."""
    stripped = header.strip()
    if stripped.lower().startswith(PROFILE_PREFIX):  # a column of Heard's own export
        stripped = stripped[len(PROFILE_PREFIX) :]
    return key_from_header(stripped, index)


def is_heard_export(headers: Sequence[str]) -> bool:
    """Whether the file is Heard's own export: its standard columns first, by their labels.
    Every column after them but "Added on" is then a profile field, named by its label."""
    standard = [FIELD_LABELS[name] for name in STANDARD_FIELDS]
    return [header.strip() for header in headers[: len(standard)]] == standard


def guess_mapping(headers: Sequence[str], profile_keys: Sequence[ProfileKey]) -> list[str]:
    """A first choice per column, from its header; columns nobody recognises are ignored."""
    by_key = {item.key: item.key for item in profile_keys}
    by_label: dict[str, str] = {}
    for item in profile_keys:  # a label two fields share names the first
        by_label.setdefault(plain_words(item.label), item.key)
    exported = is_heard_export(headers)
    guesses: list[str] = []
    taken: set[str] = set()
    for index, header in enumerate(headers):
        if exported and index >= len(STANDARD_FIELDS):
            guess = _guess_exported(header, index, by_key, by_label)
        else:
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
    normal = plain_words(stripped)
    for name, words in SYNONYMS.items():
        if normal in words:
            return name
    key = key_from_header(stripped, index)
    if key in by_key:
        return profile_target(key)
    if normal in by_label:
        return profile_target(by_label[normal])
    return IGNORE


def _guess_exported(
    header: str, index: int, by_key: dict[str, str], by_label: dict[str, str]
) -> str:
    """A profile column of Heard's own export: a field's label, a key written out in words
    ("Team size" for team_size), or the `profile:key` of older exports."""
    stripped = header.strip()
    if stripped == ADDED_ON:
        return IGNORE
    normal = plain_words(stripped)
    if not stripped.lower().startswith(PROFILE_PREFIX) and normal in by_label:
        return profile_target(by_label[normal])
    key = new_key_for(stripped, index)
    return profile_target(key) if key in by_key else NEW_PROFILE_FIELD


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
        if not looks_like_email(email):
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
