"""A large study's matrix as XLSX, made in the background: start, claim, run, keep, purge.

The XLSX file of a study whose matrix holds more quotes than `HEARD_EXPORT_BACKGROUND_QUOTES`
(among the interviews its filters keep) is not made in the request: the matrix page's button
queues a `MatrixExport` row and a task (`tasks.make_matrix_export`). The task claims the row
(`core.leases`: a queued row, or a running one whose claim lapsed because its worker died),
writes the same workbook the download writes (`spreadsheet.workbook`, with the person's
filters, pseudonyms, role and address), reporting the rows written at most every
`PROGRESS_EVERY` seconds, each report renewing the claim, and keeps the file in storage.
One export per study, person and format is unfinished at a time: asking again joins it.

The file is the asker's alone, made for their role: it is offered for `EXPORT_KEEP` (a day),
then deleted with its row by the hourly purge (`tasks.purge_exports`), and an asker's earlier
file of the study goes when they ask for a newer one; an erasure or a redaction deletes every
export of the studies it touches (`forget_studies_of`). Deleting a row, however it happens
(the study, the person), deletes its file once the deletion commits (`forget_file`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from time import monotonic
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from heard.accounts.access import memberships
from heard.accounts.models import Membership, User
from heard.core import storage
from heard.core.leases import Lease
from heard.interviews.models import Interview
from heard.participants.pseudonyms import forced
from heard.studies.models import Study
from heard.synthesis.matrix import queries as matrix
from heard.synthesis.matrix import spreadsheet
from heard.synthesis.matrix.forms import MatrixFilterForm
from heard.synthesis.models import (
    EXPORT_KEEP,
    UNFINISHED_EXPORTS,
    ExportFormat,
    ExportStatus,
    MatrixExport,
)
from heard.synthesis.points import matrix_points

logger = logging.getLogger(__name__)

# A run renews its claim with every report of its progress.
CLAIMS = Lease(MatrixExport, ExportStatus.QUEUED, ExportStatus.RUNNING)
# Seconds between saves of the progress: a few dozen updates for a minute's file.
PROGRESS_EVERY = 0.5
REASON_LENGTH = 500
FILTERS = tuple(MatrixFilterForm.base_fields)


class ExportFailed(Exception):
    """The file cannot be made; the message says why, to the person who asked."""


class _Overtaken(Exception):
    """This run's claim is gone: another run took the row over, or it was deleted."""


def in_background(quotes: int) -> bool:
    """Whether a matrix of this many quotes is exported by a task."""
    return quotes > settings.HEARD_EXPORT_BACKGROUND_QUOTES


def filter_query(data: QueryDict) -> str:
    """The matrix's filters and sort in `data` (a page's query or a form's post) as a query
    string, with nothing else (no page, no pseudonyms)."""
    kept = QueryDict(mutable=True)
    for name in FILTERS:
        values = [value for value in data.getlist(name) if value]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def filters_of(export: MatrixExport) -> matrix.Filters:
    return MatrixFilterForm(QueryDict(export.query), study=export.study).filters()


# Asking -----------------------------------------------------------------------------------------


def start(study: Study, user: User, *, query: str, pseudonyms: bool, base_url: str) -> MatrixExport:
    """Queue the XLSX file of `study`'s matrix for `user`, or join the one of theirs still
    being made. Their earlier files of the study go: a newer one is on its way."""
    purge_expired()
    with transaction.atomic():
        Study.objects.select_for_update().filter(pk=study.pk).first()
        theirs = MatrixExport.objects.filter(
            study=study, requested_by=user, format=ExportFormat.XLSX
        )
        unfinished = theirs.filter(status__in=UNFINISHED_EXPORTS).first()
        if unfinished is not None:
            return unfinished
        theirs.delete()
        export = MatrixExport.objects.create(
            study=study,
            requested_by=user,
            format=ExportFormat.XLSX,
            query=query,
            pseudonyms=pseudonyms,
            base_url=base_url,
        )
        _enqueue(export.pk)
    export.refresh_from_db()  # a task run at once may have finished it already
    return export


def latest(study: Study, user: User) -> MatrixExport | None:
    """The person's latest export of the study, unless its file is past its time."""
    export = (
        MatrixExport.objects.filter(study=study, requested_by=user)
        .order_by("-created_at", "-id")
        .first()
    )
    if export is None or _expired(export):
        return None
    revive_stalled(export)
    return export


def unavailable(export: MatrixExport, membership: Membership) -> str:
    """Why the made file may not be downloaded by its asker now; "" when it may."""
    if export.status != ExportStatus.DONE or not export.stored_name:
        return "The file is not made yet."
    if _expired(export):
        return "The file was kept a day and is gone: make it again."
    if export.made_for_role != membership.role or (forced(membership) and not export.pseudonyms):
        return "Your role in the workspace changed since the file was made: make it again."
    return ""


def _expired(export: MatrixExport) -> bool:
    kept_until = export.kept_until
    return kept_until is not None and kept_until < timezone.now()


def _enqueue(export_id: int) -> None:
    from heard.synthesis.matrix.tasks import make_matrix_export  # it imports this

    make_matrix_export.enqueue(export_id)


def revive_stalled(export: MatrixExport | None = None, **_: Any) -> int:
    """Put the exports whose worker died back on the queue: the one a page shows, when
    looked at, or every one, as a worker starts."""
    rows = MatrixExport.objects.all()
    if export is not None:
        rows = rows.filter(pk=export.pk)
    return CLAIMS.revive(rows, _enqueue)


def requeue(**_: Any) -> None:
    """As a worker starts: a new task for every export still queued (a killed worker may have
    taken its task before the task claimed it; only one task claims it), and the stalled
    ones back on the queue."""
    for pk in MatrixExport.objects.filter(status=ExportStatus.QUEUED).values_list("pk", flat=True):
        _enqueue(pk)
    revive_stalled()


# Keeping ----------------------------------------------------------------------------------------


def purge_expired() -> int:
    """Delete the exports made more than `EXPORT_KEEP` ago, files and all."""
    deleted, _ = MatrixExport.objects.filter(finished_at__lt=timezone.now() - EXPORT_KEEP).delete()
    return deleted


def forget_studies_of(interview_ids: Iterable[int]) -> int:
    """Delete the exports of these interviews' studies, made or being made: an erasure or a
    redaction takes words out that a file made before it still holds. A run being made loses
    its claim and writes nothing more."""
    studies = Interview.objects.filter(pk__in=list(interview_ids)).values("study_id")
    deleted, _ = MatrixExport.objects.filter(study__in=studies).delete()
    return deleted


def forget_file(instance: MatrixExport, **_: Any) -> None:
    """A deleted export's file goes once the deletion commits (`post_delete`)."""
    if instance.stored_name:
        name = instance.stored_name
        transaction.on_commit(lambda: storage.delete(name))


# Making -----------------------------------------------------------------------------------------


def run(export_id: int) -> str:
    """The task's whole job: claim the row, write the workbook, keep the file. Returns the
    status it ends in ("busy" when another run holds it)."""
    token = CLAIMS.claim(export_id, done_rows=0)
    if token is None:
        return CLAIMS.status_of(export_id, UNFINISHED_EXPORTS)
    export = MatrixExport.objects.select_related("study__workspace", "requested_by").get(
        pk=export_id
    )
    progress = _Progress(export.pk, token)
    stored = ""
    try:
        study = export.study
        membership = memberships(export.requested_by, study.workspace.slug).first()
        if membership is None:
            raise ExportFailed("You are no longer a member of this workspace.")
        membership.workspace = study.workspace
        with _workbook(export, membership, progress) as handle:
            name = f"exports/{study.pk}/{uuid.uuid4().hex}.xlsx"
            stored = default_storage.save(name, File(handle, name=name))
        size = default_storage.size(stored)
    except _Overtaken:
        storage.delete(stored)
        return "overtaken"
    except ExportFailed as error:
        return _failed(export, token, str(error))
    except Exception as error:
        logger.exception("Exporting the matrix of study %s failed", export.study_id)
        storage.delete(stored)
        return _failed(export, token, f"An unexpected error stopped it ({error}).")
    if not CLAIMS.end(
        export.pk,
        token,
        status=ExportStatus.DONE,
        stored_name=stored,
        size=size,
        made_for_role=membership.role,
        done_rows=progress.total,
        finished_at=timezone.now(),
        run_token="",
    ):
        storage.delete(stored)
        return "overtaken"
    return ExportStatus.DONE


def _workbook(export: MatrixExport, membership: Membership, progress: _Progress) -> IO[bytes]:
    """The workbook the download would write for the asker (`views.matrix_xlsx`)."""
    study = export.study
    filters = filters_of(export)
    interviews = matrix.rows_of(study, filters)
    progress.begin(interviews.count() + matrix.quotes_in(interviews))
    return spreadsheet.workbook(
        study,
        matrix_points(study),
        interviews,
        filters,
        spreadsheet.Links(study, lambda path: export.base_url + path),
        spreadsheet.named_as(study, export.pseudonyms),
        spreadsheet.extra_sheets(study, membership),
        progress,
    )


def _failed(export: MatrixExport, token: str, reason: str) -> str:
    ended = CLAIMS.end(
        export.pk,
        token,
        status=ExportStatus.FAILED,
        failure_reason=reason[:REASON_LENGTH],
        finished_at=timezone.now(),
        run_token="",
    )
    return ExportStatus.FAILED if ended else "overtaken"


class _Progress:
    """The rows written, saved at most every `PROGRESS_EVERY` seconds, each save renewing the
    run's claim: the writer calls it after each interview, and it costs a clock's reading."""

    def __init__(self, export_id: int, token: str) -> None:
        self.export_id = export_id
        self.token = token
        self.total = 0
        self.saved_at = monotonic()

    def begin(self, total: int) -> None:
        self.total = total
        self._save(done_rows=0, total_rows=total)

    def __call__(self, written: int) -> None:
        now = monotonic()
        if now - self.saved_at >= PROGRESS_EVERY:
            self.saved_at = now
            self._save(done_rows=min(written, self.total))

    def _save(self, **changes: int) -> None:
        if not CLAIMS.renew(self.export_id, self.token, **changes):
            raise _Overtaken
