"""Importing participants from CSV: upload, choose columns, preview, then all rows or none.

A row whose email matches a participant already in the directory (in any case) never
overwrites anything: it fills in that participant's empty fields, or is skipped when there
is nothing to fill in. Rows without an email always become new participants. A row whose
email an earlier row of the file has waits for the person to choose: merge it into that row
(by the same rule) or skip it; the import runs once every such row has a choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.core.downloads import uploaded_name
from heard.participants.csv_file import Table, read_table
from heard.participants.csv_headers import guess_mapping
from heard.participants.csv_import import (
    FIELD_LABELS,
    DuplicateChoice,
    ParsedRow,
    Problem,
    ResolvedMapping,
    check_rows,
    merge_duplicates,
    resolve_mapping,
)
from heard.participants.models import ImportStatus, Participant, ParticipantImport, take_aliases
from heard.participants.services import profile_keys

# An import nobody finished is thrown away after this long: its text is personal data.
ABANDONED_AFTER = timedelta(days=1)
LOOKUP_BATCH = 500
# Fields a matching row may fill in on an existing participant (name and email it has).
FILLABLE = ("company", "role", "segment")


class ImportAction(models.TextChoices):
    """What the import does with a row of the file."""

    NEW = "new"
    UPDATE = "update"
    SKIP = "skip"
    PROBLEM = "problem"
    # A row whose email an earlier row has: waiting for a choice, merged into it, or skipped.
    DUPLICATE = "duplicate"
    MERGE = "merge"
    SKIP_DUPLICATE = "skip_duplicate"


DUPLICATE_ACTIONS = {
    DuplicateChoice.MERGE: ImportAction.MERGE,
    DuplicateChoice.SKIP: ImportAction.SKIP_DUPLICATE,
}


class ImportBlocked(Exception):
    """Nothing was imported: the file has problems, or the directory changed meanwhile."""


def safe_filename(name: str) -> str:
    """Only the file's own name, whatever path a browser sent along with it."""
    return uploaded_name(name, "participants.csv")


def purge_abandoned() -> int:
    """Throw away every workspace's imports left unfinished for longer than ABANDONED_AFTER.

    Run whenever anyone starts an import: one DELETE over a small table, at a moment when
    someone is waiting for a page anyway (old sign-in failures go the same way)."""
    deleted, _ = (
        ParticipantImport.objects.filter(created_at__lt=timezone.now() - ABANDONED_AFTER)
        .exclude(status=ImportStatus.DONE)
        .delete()
    )
    return deleted


def start_import(workspace: Workspace, user: User, filename: str, text: str) -> ParticipantImport:
    """Keep the uploaded text for the next steps, with a first guess of each column's use."""
    purge_abandoned()
    table = read_table(text, settings.HEARD_IMPORT_MAX_ROWS)
    return ParticipantImport.objects.create(
        workspace=workspace,
        created_by=user,
        filename=safe_filename(filename),
        text=text,
        mapping=guess_mapping(table.headers, profile_keys(workspace)),
    )


def table_of(upload: ParticipantImport) -> Table:
    return read_table(upload.text, settings.HEARD_IMPORT_MAX_ROWS)


def save_mapping(upload: ParticipantImport, mapping: Sequence[str]) -> None:
    """Keep the chosen columns; choices on repeated emails go if the columns changed."""
    if list(mapping) != upload.mapping:
        upload.duplicates = {}
    upload.mapping = list(mapping)
    upload.status = ImportStatus.MAPPED
    upload.save(update_fields=["mapping", "status", "duplicates"])


def choose_duplicates(upload: ParticipantImport, choices: Mapping[int, DuplicateChoice]) -> None:
    """Merge or skip rows whose email an earlier row has (by row number); others keep theirs."""
    upload.duplicates = {
        **upload.duplicates,
        **{str(number): choice.value for number, choice in choices.items()},
    }
    upload.save(update_fields=["duplicates"])


def recent_imports(workspace: Workspace) -> Iterable[ParticipantImport]:
    return (
        ParticipantImport.objects.filter(workspace=workspace, status=ImportStatus.DONE)
        .select_related("created_by")
        .defer("text")[:5]
    )


@dataclass
class PlannedRow:
    row: ParsedRow
    action: ImportAction
    existing: Participant | None = None
    fills: list[str] = field(default_factory=list)
    # For a row whose email an earlier row has: that row, and what merging keeps from it
    # (`fills` then says what merging adds to it).
    earlier: ParsedRow | None = None
    differs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Heading:
    label: str
    sources: tuple[str, ...]
    is_profile: bool = False


@dataclass
class ImportPlan:
    table: Table
    mapping: ResolvedMapping
    rows: list[PlannedRow]
    problems: list[Problem]
    headings: list[Heading] = field(default_factory=list)

    def count(self, action: ImportAction) -> int:
        return sum(1 for planned in self.rows if planned.action == action)

    @property
    def new_count(self) -> int:
        return self.count(ImportAction.NEW)

    @property
    def update_count(self) -> int:
        return self.count(ImportAction.UPDATE)

    @property
    def skip_count(self) -> int:
        return self.count(ImportAction.SKIP)

    @property
    def rows_with_problems(self) -> int:
        return self.count(ImportAction.PROBLEM)

    @property
    def duplicates(self) -> list[PlannedRow]:
        """Rows whose email an earlier row has (and no other problem), whatever their choice."""
        return [planned for planned in self.rows if planned.earlier is not None]

    @property
    def undecided_count(self) -> int:
        return self.count(ImportAction.DUPLICATE)

    @property
    def merge_count(self) -> int:
        return self.count(ImportAction.MERGE)

    @property
    def skip_duplicate_count(self) -> int:
        return self.count(ImportAction.SKIP_DUPLICATE)

    def cells(self, planned: PlannedRow) -> list[str]:
        """A row's values in the order of the mapped columns, as they will be stored."""
        return [
            planned.row.values.get(target.field, "")
            if target.field
            else planned.row.profile.get(target.profile_key, "")
            for target in self.mapping.targets
        ]

    def preview(self, count: int) -> list[tuple[PlannedRow, list[tuple[str, str]]]]:
        """The first rows, each value with the field it goes to ("" for a profile field)."""
        fields = [target.field for target in self.mapping.targets]
        return [
            (planned, list(zip(self.cells(planned), fields, strict=True)))
            for planned in self.rows[:count]
        ]

    @property
    def new_profile_keys(self) -> list[str]:
        return [t.profile_key for t in self.mapping.targets if t.new_key]

    @property
    def has_email(self) -> bool:
        return "email" in self.mapping.fields

    @property
    def can_import(self) -> bool:
        return (
            not self.problems
            and not self.undecided_count
            and bool(self.new_count or self.update_count)
        )


def _existing_by_email(
    workspace: Workspace, emails: Sequence[str], *, lock: bool
) -> dict[str, Participant]:
    """The workspace's participants with these emails (lower case), a batch of queries at most."""
    found: dict[str, Participant] = {}
    for start in range(0, len(emails), LOOKUP_BATCH):
        # Served by the unique index on (LOWER(email), workspace), which skips empty emails.
        query = (
            Participant.objects.annotate(email_lower=Lower("email"))
            .filter(workspace=workspace, email_lower__in=emails[start : start + LOOKUP_BATCH])
            .exclude(email="")
        )
        for person in query.select_for_update() if lock else query:
            found[person.email.lower()] = person
    return found


def _fills(row: ParsedRow, person: Participant) -> list[str]:
    """What a matching row would add to a participant: only what is empty there."""
    fills = [
        FIELD_LABELS[name]
        for name in FILLABLE
        if row.values.get(name) and not getattr(person, name)
    ]
    profile = person.profile or {}
    fills += [key for key, value in row.profile.items() if value and not profile.get(key)]
    return fills


def plan_import(upload: ParticipantImport, *, lock: bool = False) -> ImportPlan:
    """What the import would do, row by row, and every problem that stops it.

    Raises MappingError when the chosen columns do not make an import (no name column, …).
    """
    table = table_of(upload)
    keys = profile_keys(upload.workspace)
    labels = {item.key: item.label for item in keys}
    mapping = resolve_mapping(table, upload.mapping, list(labels))
    parsed, problems = check_rows(table, mapping)
    merges = merge_duplicates(parsed, upload.duplicates, labels)
    by_number = {row.number: row for row in parsed}
    emails = sorted({row.email_key for row in parsed if row.ok and row.email_key})
    existing = _existing_by_email(upload.workspace, emails, lock=lock)
    planned = []
    for row in parsed:
        if not row.ok:
            planned.append(PlannedRow(row, ImportAction.PROBLEM))
            continue
        if row.duplicate_of is not None:
            choice = upload.duplicates.get(str(row.number), "")
            merge = merges[row.number]
            planned.append(
                PlannedRow(
                    row,
                    DUPLICATE_ACTIONS.get(choice, ImportAction.DUPLICATE),
                    fills=merge.adds,
                    earlier=by_number[row.duplicate_of],
                    differs=merge.differs,
                )
            )
            continue
        person = existing.get(row.email_key) if row.email_key else None
        if person is None:
            planned.append(PlannedRow(row, ImportAction.NEW))
            continue
        fills = _fills(row, person)
        planned.append(
            PlannedRow(row, ImportAction.UPDATE if fills else ImportAction.SKIP, person, fills)
        )
    headings = [
        Heading(
            FIELD_LABELS[target.field]
            if target.field
            else labels.get(target.profile_key, f"{target.profile_key} (new profile field)"),
            target.sources or (target.header,),
            is_profile=not target.field,
        )
        for target in mapping.targets
    ]
    return ImportPlan(table, mapping, planned, problems, headings)


def apply_import(upload: ParticipantImport) -> ImportPlan:
    """Import every row in one transaction, or nothing at all."""
    try:
        with transaction.atomic():
            locked = ParticipantImport.objects.select_for_update().get(pk=upload.pk)
            if locked.is_done:
                raise ImportBlocked("This file has been imported already.")
            plan = plan_import(locked, lock=True)
            if plan.problems:
                raise ImportBlocked(
                    "Nothing was imported: the file has problems. Fix them and upload it again."
                )
            if plan.undecided_count:
                raise ImportBlocked(
                    "Nothing was imported: choose whether to merge or skip each row whose "
                    "email an earlier row has."
                )
            _write(upload.workspace, plan)
            locked.status = ImportStatus.DONE
            locked.text = ""
            locked.created_count = plan.new_count
            locked.updated_count = plan.update_count
            locked.skipped_count = plan.skip_count
            locked.finished_at = timezone.now()
            locked.save()
    except IntegrityError:
        raise ImportBlocked(
            "Nothing was imported: someone added a participant with one of these emails "
            "meanwhile. Check the preview again."
        ) from None
    return plan


def _write(workspace: Workspace, plan: ImportPlan) -> None:
    now = timezone.now()
    new = [
        Participant(
            workspace=workspace,
            name=planned.row.values["name"],
            email=planned.row.values.get("email", ""),
            company=planned.row.values.get("company", ""),
            role=planned.row.values.get("role", ""),
            segment=planned.row.values.get("segment", ""),
            profile=dict(planned.row.profile),
        )
        for planned in plan.rows
        if planned.action == ImportAction.NEW
    ]
    for person, alias in zip(new, take_aliases(workspace.pk, len(new)), strict=True):
        person.alias = alias  # numbered as `Participant.save` numbers one
    Participant.objects.bulk_create(new, batch_size=LOOKUP_BATCH)
    changed = []
    for planned in plan.rows:
        if planned.action != ImportAction.UPDATE or planned.existing is None:
            continue
        person = planned.existing
        for name in FILLABLE:
            if planned.row.values.get(name) and not getattr(person, name):
                setattr(person, name, planned.row.values[name])
        profile = dict(person.profile or {})
        for key, value in planned.row.profile.items():
            if not profile.get(key):
                profile[key] = value
        person.profile = profile
        person.updated_at = now
        changed.append(person)
    Participant.objects.bulk_update(
        changed, [*FILLABLE, "profile", "updated_at"], batch_size=LOOKUP_BATCH
    )
