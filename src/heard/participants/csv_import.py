"""Checking a participant CSV (read by `csv_file`), row by row, before anything is saved.

Pure functions, no database: the import services and the tests call them directly.
Row numbers are those a spreadsheet shows: the header is row 1, the first participant row 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import models

from heard.participants.csv_file import Table, looks_like_email
from heard.participants.csv_headers import (
    FIELD_LABELS,
    IGNORE,
    NAME_PARTS,
    NEW_PROFILE_FIELD,
    PART_LABELS,
    PROFILE_PREFIX,
    STANDARD_FIELDS,
    new_key_for,
    profile_target,
)
from heard.participants.profile import PROFILE_VALUE_MAX_LENGTH

# The lengths the Participant model allows.
MAX_LENGTHS = {"name": 200, "email": 254, "company": 200, "role": 200, "segment": 100}

# Choosing what each column becomes ----------------------------------------------------------


@dataclass(frozen=True)
class ColumnTarget:
    """Where a column's values go: a standard field, or a profile key.

    A name that comes in parts (first name, last name) is one target that reads several
    columns: `parts` holds their indexes, first name first, and `index` the leftmost.
    """

    index: int
    header: str
    field: str = ""
    profile_key: str = ""
    new_key: bool = False
    parts: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.field:
            return FIELD_LABELS[self.field]
        return f"Profile: {self.profile_key}"

    def value_in(self, cells: Sequence[str]) -> str:
        """The value of this target in a row: the parts of a name joined by a space."""
        values = [cells[i].strip() if i < len(cells) else "" for i in self.parts or (self.index,)]
        return " ".join(value for value in values if value)


def name_from_parts(table: Table, parts: dict[str, int]) -> ColumnTarget:
    """The name, read from the columns of its parts (`first_name`, `last_name`) that are set."""
    indexes = tuple(parts[part] for part in NAME_PARTS if part in parts)
    sources = tuple(table.column_name(index) for index in indexes)
    return ColumnTarget(
        min(indexes), " + ".join(sources), field="name", parts=indexes, sources=sources
    )


def joined_examples(table: Table, indexes: Sequence[int], count: int = 2) -> list[str]:
    """The first few different values that joining these columns makes, as examples."""
    joined = ColumnTarget(min(indexes), "", parts=tuple(indexes))
    examples: list[str] = []
    for row in table.rows:
        value = joined.value_in(row.cells)
        if value and value not in examples:
            examples.append(value)
        if len(examples) == count:
            break
    return examples


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
    parts: dict[str, int] = {}
    for index, choice in enumerate(mapping):
        header = table.column_name(index)
        if choice == IGNORE:
            ignored.append(header)
            continue
        if choice in NAME_PARTS:
            if choice in parts:
                errors.append(
                    f"Both “{table.column_name(parts[choice])}” and “{header}” go to "
                    f"{PART_LABELS[choice]}. Choose one, and set the other to “Don't import”."
                )
            parts.setdefault(choice, index)
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
    if parts and "name" in seen:
        part = table.column_name(min(parts.values()))
        errors.append(
            f"“{seen['name']}” holds the whole name, and “{part}” a part of it. Choose either "
            "the whole name or its parts (first and last name), and set the others to "
            "“Don't import”."
        )
    elif parts and not errors:
        targets.append(name_from_parts(table, parts))
        targets.sort(key=lambda target: target.index)
    if "name" not in seen and not parts and not errors:
        errors.append(
            "Choose the column that holds each participant's name, or the columns of their "
            "first and last name: every participant needs one. If the file has no such "
            "column, add one and upload the file again."
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
    # The earlier row of the file with the same email: the person chooses to merge or skip.
    duplicate_of: int | None = None

    @property
    def email_key(self) -> str:
        return self.values.get("email", "").lower()


def check_rows(table: Table, mapping: ResolvedMapping) -> tuple[list[ParsedRow], list[Problem]]:
    """Every row's values, and every problem found, by row number and column.

    A row whose email an earlier row has is no problem: it names that row (`duplicate_of`),
    and the import merges or skips it as the person chooses.
    """
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
            value = target.value_in(row.cells)
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
            item.duplicate_of = first_row_of_email[item.email_key]
        else:
            first_row_of_email[item.email_key] = item.number
    return found


# Rows that repeat an email --------------------------------------------------------------------


class DuplicateChoice(models.TextChoices):
    """What the import does with a row whose email an earlier row of the file has."""

    MERGE = "merge", "Merge"
    SKIP = "skip", "Skip"


@dataclass(frozen=True)
class Merge:
    """What merging a row into the earlier row with its email does, or would do."""

    adds: list[str]  # what it fills in that the earlier row left empty
    differs: list[str]  # what both rows fill, differently: the earlier row's value stays


def merge_duplicates(
    rows: Sequence[ParsedRow], choices: Mapping[str, str], profile_labels: Mapping[str, str]
) -> dict[int, Merge]:
    """Fold each row chosen to be merged (`choices`: row number → "merge") into the earlier row
    with its email, by the import's rule: fill what is empty there, never overwrite.

    Changes the earlier rows in place. Returns, for every row that repeats an email, what
    merging it does (or, not chosen, would do), by its number.
    """
    by_number = {row.number: row for row in rows}
    merges: dict[int, Merge] = {}
    for row in rows:
        if row.duplicate_of is None or not row.ok:
            continue
        earlier = by_number[row.duplicate_of]
        apply = choices.get(str(row.number)) == DuplicateChoice.MERGE
        adds: list[str] = []
        differs: list[str] = []
        for values, into, label_of in (
            (row.values, earlier.values, FIELD_LABELS),
            (row.profile, earlier.profile, profile_labels),
        ):
            for key, value in values.items():
                if not value or key == "email":
                    continue
                if not into.get(key):
                    adds.append(label_of.get(key, key))
                    if apply:
                        into[key] = value
                elif into[key] != value:
                    differs.append(label_of.get(key, key))
        merges[row.number] = Merge(adds, differs)
    return merges
