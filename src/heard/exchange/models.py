"""A REFI-QDA project on its way into a study, and the codes of other tools that highlights
brought in keep."""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User
from heard.interviews.models import Note
from heard.studies.models import Study


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked, not imported yet"
    QUEUED = "queued", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


class ProjectImport(models.Model):
    """A `.qdpx` project read and checked: the highlights it would make (`plan`), what it
    skips and why (`skipped`), and per interview how many (`interviews`). The file itself is
    not kept. Importing (a task: each highlight makes its interview's search entries again)
    makes the highlights, empties the plan and keeps the report."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="project_imports")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(max_length=255)
    origin = models.CharField(
        max_length=200, blank=True, help_text="The program that wrote the project, as it says."
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    plan = models.JSONField(
        default=list, blank=True, help_text="The highlights to make, emptied once made."
    )
    skipped = models.JSONField(
        default=list, blank=True, help_text="What is not imported, each with the reason."
    )
    interviews = models.JSONField(
        default=list, blank=True, help_text="Per interview: its id, and the highlights to make."
    )
    imported_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure = models.TextField(blank=True)
    made_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            # The study's recent imports, on the import page; the day-old unfinished ones.
            models.Index(fields=("study", "-created_at"), name="project_import_recent_idx"),
        )

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status == ImportStatus.DONE

    @property
    def is_queued(self) -> bool:
        return self.status == ImportStatus.QUEUED

    @property
    def is_failed(self) -> bool:
        return self.status == ImportStatus.FAILED


class ImportedCodes(models.Model):
    """The codes of another tool that a highlight was imported with and that are not Heard's
    (not a validation point, nor a kind of note): their GUIDs and names, as that tool gave
    them. The next export of the study gives them back, under "Codes from other tools"."""

    highlight = models.OneToOneField(
        Note, on_delete=models.CASCADE, primary_key=True, related_name="imported_codes"
    )
    codes = models.JSONField(default=list, help_text='[{"guid": …, "name": …}], in order.')
    project_import = models.ForeignKey(
        ProjectImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "imported codes"

    def __str__(self) -> str:
        return ", ".join(str(code.get("name", "")) for code in self.codes)
