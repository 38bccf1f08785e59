"""A study's matrix exported in the background: a large study's XLSX file is made by a task
(`synthesis/matrix/exports.py`), with its progress, and kept a while for the person who asked
for it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q

from heard.accounts.models import User
from heard.studies.models import Study

# How long a made file is kept (and offered) after it was made.
EXPORT_KEEP = timedelta(days=1)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"


# The statuses of an export still to finish: a second request joins it.
UNFINISHED_EXPORTS = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class MatrixExport(models.Model):
    """One request for a study's matrix as a file, as the person asked for it (the filters,
    pseudonyms or not, the address its links use), its progress and the file once made."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="+")
    # The file is made for this person's role and is theirs alone to download.
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=8, choices=ExportFormat.choices)
    # The matrix's filters and sort, as the page's query string has them.
    query = models.TextField(blank=True)
    pseudonyms = models.BooleanField(default=False)
    # Where the file's links lead: the address the person reached Heard by.
    base_url = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    failure_reason = models.TextField(blank=True)
    # Progress: rows written (the matrix's and the quotes'), of all of them.
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    # The made file in storage, its size, and the role it was made for (what its sheets hold).
    stored_name = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    made_for_role = models.CharField(max_length=20, blank=True)
    # The claim of the run that makes it (`core.leases`).
    run_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            # A second request while one is unfinished joins it.
            models.UniqueConstraint(
                fields=("study", "requested_by", "format"),
                condition=Q(status__in=UNFINISHED_EXPORTS),
                name="matrix_export_one_unfinished",
            ),
        )
        indexes = (
            # The person's latest export of a study, on the matrix page.
            models.Index(
                fields=("study", "requested_by", "-created_at"), name="matrix_export_mine_idx"
            ),
            # The purge of files past their time.
            models.Index(fields=("finished_at",), name="matrix_export_purge_idx"),
        )

    def __str__(self) -> str:
        return f"Matrix export {self.pk} of study {self.study_id}"

    @property
    def is_unfinished(self) -> bool:
        return self.status in UNFINISHED_EXPORTS

    @property
    def progress_percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(100 * self.done_rows / self.total_rows))

    @property
    def kept_until(self) -> datetime | None:
        return None if self.finished_at is None else self.finished_at + EXPORT_KEEP
