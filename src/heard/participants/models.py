"""The people a workspace interviews, and what the team knows about them beforehand."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.db.models.functions import Lower

from heard.accounts.models import User, Workspace


class Recontact(models.TextChoices):
    """The customer's answer, at the follow-up, to being contacted again with more questions."""

    UNKNOWN = "", "Not asked yet"
    YES = "yes", "Happy to be contacted again"
    NOT_YET = "not_yet", "Not yet: ask again later"
    NO = "no", "Declined further contact"


RECONTACT_NOTES: dict[str, str] = {
    Recontact.YES: "agreed to further contact",
    Recontact.NOT_YET: "asked us to wait before contacting again",
    Recontact.NO: "declined further contact",
}


class Participant(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    company = models.CharField(max_length=200, blank=True)
    role = models.CharField("role or title", max_length=200, blank=True)
    segment = models.CharField(max_length=100, blank=True)
    profile = models.JSONField(
        default=dict, blank=True, help_text="Values of the customer-profile fields guides define."
    )
    recontact = models.CharField(
        "may we contact them again?",
        max_length=10,
        choices=Recontact.choices,
        blank=True,
        default=Recontact.UNKNOWN,
    )
    recontact_at = models.DateTimeField("answer recorded", null=True, blank=True)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person was erased: the row stays, holding no personal data, for the "
        "interviews held with them.",
    )
    # Their pseudonym's number in the workspace (P07), given as they are added (`save`,
    # `take_aliases`) and never changed: what exports that hide who people are call them.
    alias = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "id")
        constraints = (
            models.UniqueConstraint(
                "workspace", "alias", name="participant_alias_once_per_workspace"
            ),
            # Dedupe by email within a workspace; several participants may have none.
            models.UniqueConstraint(
                Lower("email"),
                "workspace",
                condition=~models.Q(email=""),
                name="participant_email_once_per_workspace",
            ),
        )
        indexes = (
            # The participant directory: a workspace's people in name order, and their count,
            # read from the index alone (SQLite reads only the columns an index names, so
            # `erased_at` is among them). The erased are in no list.
            models.Index(
                fields=("workspace", "name", "erased_at"),
                condition=models.Q(erased_at__isnull=True),
                name="participant_list_idx",
            ),
            # The segments in use (`services.segments`): one step along it for each.
            models.Index(fields=("workspace", "segment"), name="participant_segment_idx"),
        )

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new participant takes the workspace's next pseudonym number."""
        if self._state.adding and self.alias is None and self.workspace_id is not None:
            with transaction.atomic():
                self.alias = take_aliases(self.workspace_id, 1).start
                super().save(*args, **kwargs)
            return
        super().save(*args, **kwargs)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else ""

    @property
    def recontact_note(self) -> str:
        """The answer on being contacted again, short enough for a list or a menu option."""
        return RECONTACT_NOTES.get(self.recontact, "")


def take_aliases(workspace_id: int, count: int) -> range:
    """The next `count` pseudonym numbers of the workspace, under its row's lock (held until
    the caller's transaction ends, which must save them)."""
    Workspace.objects.select_for_update().filter(pk=workspace_id).first()
    top = Participant.objects.filter(workspace_id=workspace_id).aggregate(top=Max("alias"))["top"]
    return range((top or 0) + 1, (top or 0) + 1 + count)


class ResearchNote(models.Model):
    """Something known before the call: usage data, news, earlier contact."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField(default=datetime.date.today)
    source = models.CharField(max_length=200, help_text="Where this comes from: CRM, usage data, …")
    body = models.TextField()
    url = models.URLField(blank=True, max_length=500)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-noted_on", "-id")

    def __str__(self) -> str:
        return f"{self.source} ({self.noted_on})"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    MAPPED = "mapped", "Columns chosen"
    DONE = "done", "Imported"


class ParticipantImport(models.Model):
    """A CSV file on its way into the directory: uploaded, mapped, previewed, then imported.

    The file's text waits here between the steps, and is emptied once imported: it is
    personal data that the directory now holds.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="participant_imports"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    mapping = models.JSONField(
        default=list, blank=True, help_text="What each column becomes, in column order."
    )
    duplicates = models.JSONField(
        default=dict,
        blank=True,
        help_text="For each row whose email an earlier row has (by row number): merge or skip.",
    )
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            # The recent imports of a workspace, shown on the upload page.
            models.Index(fields=("workspace", "-created_at"), name="participant_import_recent_idx"),
        )

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status == ImportStatus.DONE
