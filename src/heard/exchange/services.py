"""Importing a project coded elsewhere: check it (nothing changes, the plan is kept), then
make its highlights, through the transcripts' own highlight rules (`highlights.locate` and
`highlights.add`), so that search, the summaries and everything else follow as for a
highlight made by hand.

Making them is a task (`tasks.import_project`): each highlight makes its interview's search
entries again, a tenth of a second or more for a long transcript. Asking twice joins the
import under way; the import is one transaction, so a worker killed in the middle leaves
nothing, and the next worker to start takes it up again (`requeue`).

A check unfinished after a day is deleted whenever anyone checks another project.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.access import Need, allows, memberships
from heard.accounts.models import AuditAction, User
from heard.exchange import planning, qde
from heard.exchange.archive import Archive
from heard.exchange.models import ImportedCodes, ImportStatus, ProjectImport
from heard.exchange.text import flat
from heard.interviews.models import Note, NoteSource, Transcript, TranscriptStatus
from heard.interviews.transcripts import highlights
from heard.studies.models import Study, ValidationPoint

ABANDONED_AFTER = datetime.timedelta(days=1)
RECENT = 5


class AlreadyImported(Exception):
    """The project was imported already (twice sent, or another tab)."""


class ImportRefused(Exception):
    """The import cannot be made; the message says why, for the person."""


def check(study: Study, user: User, upload: IO[bytes], filename: str) -> ProjectImport:
    """Read the project and keep what importing it would do. ArchiveError or ProjectError,
    with the reason, when it cannot be read; nothing is kept then."""
    purge_abandoned()
    archive = Archive(upload)
    project = qde.parse(archive.project())
    plan = planning.plan(study, project, archive)
    planned, skipped = plan.as_json()
    counts = planning.per_interview(plan.planned)
    return ProjectImport.objects.create(
        study=study,
        created_by=user,
        filename=filename,
        origin=project.origin[:200],
        plan=planned,
        skipped=skipped,
        interviews=[{"interview": pk, "count": count} for pk, count in counts.items()],
    )


def purge_abandoned() -> int:
    """Delete the checks nobody imported within a day, and the imports that failed a day ago:
    both hold the words they would have highlighted, which nothing else needs."""
    stale = timezone.now() - ABANDONED_AFTER
    deleted, _ = ProjectImport.objects.filter(
        status__in=(ImportStatus.CHECKED, ImportStatus.FAILED), created_at__lt=stale
    ).delete()
    return deleted


def recent(study: Study) -> list[ProjectImport]:
    return list(
        ProjectImport.objects.filter(study=study, status=ImportStatus.DONE).select_related(
            "created_by"
        )[:RECENT]
    )


def queue(pk: int, user: User) -> ProjectImport:
    """Ask for the import of a checked project; an import asked for already is joined."""
    with transaction.atomic():
        row = ProjectImport.objects.select_for_update().get(pk=pk)
        if row.status in (ImportStatus.CHECKED, ImportStatus.FAILED):
            row.status = ImportStatus.QUEUED
            row.imported_by = user
            row.failure = ""
            row.save(update_fields=["status", "imported_by", "failure"])
            _enqueue(row.pk)
    row.refresh_from_db()  # a task run at once may have finished it already
    return row


def _enqueue(pk: int) -> None:
    from heard.exchange.tasks import import_project  # it imports this

    import_project.enqueue(pk)


def requeue(**_: Any) -> int:
    """As a worker starts: a new task for every import still asked for (a killed worker's
    rolled back; only one task makes it)."""
    asked = list(
        ProjectImport.objects.filter(status=ImportStatus.QUEUED).values_list("pk", flat=True)
    )
    for pk in asked:
        _enqueue(pk)
    return len(asked)


def run(pk: int) -> str:
    """The task: make the highlights, or say why not (and make none)."""
    try:
        row = apply(pk)
    except (AlreadyImported, ProjectImport.DoesNotExist):
        return "nothing to import"
    except ImportRefused as refusal:
        ProjectImport.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED, failure=str(refusal)
        )
        return str(refusal)
    except Exception:
        ProjectImport.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED,
            failure="Something went wrong while importing, and nothing was imported. Try again.",
        )
        raise
    return f"{row.made_count} highlights made"


@transaction.atomic
def apply(pk: int) -> ProjectImport:
    """Make the highlights the check planned, each again through the highlight rules (a line
    edited since the check is skipped, with the reason); keep the report."""
    row = ProjectImport.objects.select_for_update().select_related("study__workspace").get(pk=pk)
    if row.status != ImportStatus.QUEUED:
        raise AlreadyImported
    user = row.imported_by
    if user is None or not any(
        allows(membership.role_enum, Need.EDIT)
        for membership in memberships(user, row.study.workspace.slug)
    ):
        raise ImportRefused(
            "The person who asked for it may no longer change this study: nothing was imported."
        )
    study = row.study
    planned = [planning.Planned(**item) for item in row.plan]
    points = {point.pk: point for point in ValidationPoint.objects.current().filter(study=study)}
    transcripts = {
        transcript.pk: transcript
        for transcript in Transcript.objects.filter(
            interview__study=study,
            status=TranscriptStatus.READY,
            superseded_at__isnull=True,
            pk__in={item.transcript for item in planned},
        ).select_related("recording")
    }
    taken = {
        (transcript, segment or 0, flat(words))
        for transcript, segment, words in Note.objects.filter(
            transcript__in=list(transcripts),
            source=NoteSource.RECORDING,
            deleted_at__isnull=True,
        ).values_list("transcript_id", "segment_id", "text")
    }
    skipped: list[dict[str, Any]] = []
    made: Counter[int] = Counter()
    for item in planned:
        transcript = transcripts.get(item.transcript)
        shown = item.words if len(item.words) <= 80 else item.words[:79] + "…"
        if transcript is None:
            skipped.append(_skip(shown, "Its transcript was replaced or deleted since the check."))
            continue
        if (transcript.pk, item.first, item.words) in taken:
            skipped.append(_skip(shown, "These words are highlighted there already."))
            continue
        try:
            span = highlights.locate(transcript, item.first, item.last, item.words, item.at)
        except highlights.HighlightError as error:
            skipped.append(_skip(shown, str(error)))
            continue
        chosen = [points[pk] for pk in item.points if pk in points]
        note = highlights.add(transcript, span, item.kind, chosen, user)
        if item.codes:
            ImportedCodes.objects.create(highlight=note, codes=item.codes, project_import=row)
        taken.add((transcript.pk, span.first.pk, span.text))
        made[item.interview] += 1
    row.status = ImportStatus.DONE
    row.made_count = sum(made.values())
    row.skipped = [*row.skipped, *skipped]
    row.interviews = [{"interview": pk, "count": count} for pk, count in made.items()]
    row.plan = []  # the words are the transcript's: the highlights hold them now
    row.finished_at = timezone.now()
    row.save()
    audit.record(
        study.workspace,
        user,
        AuditAction.IMPORTED,
        target=study,
        format="qdpx",
        highlights=row.made_count,
        skipped=sum(int(item.get("count", 1)) for item in row.skipped),
    )
    return row


def _skip(shown: str, reason: str) -> dict[str, Any]:
    return {"source": "", "selection": shown, "reason": reason, "count": 1}
