"""The audit log: what it records (`AuditAction`), and its entries, which are only ever
added, and go only with their age or their workspace (`AppendOnly`)."""

from __future__ import annotations

from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from heard.accounts.models.people import User, Workspace


class AuditAction(models.TextChoices):
    """What the audit log records: who read what leaves the screen (a recording played, a
    file downloaded or exported) and who changed who may see what or how long it is kept."""

    RECORDING_PLAYED = "recording_played", "Played a recording"
    RECORDING_DOWNLOADED = "recording_downloaded", "Downloaded a recording"
    TRANSCRIPT_DOWNLOADED = "transcript_downloaded", "Downloaded a transcript"
    EXPORTED = "exported", "Downloaded an export"
    IMPORTED = "imported", "Imported into a study"
    PARTICIPANT_EXPORTED = "participant_exported", "Exported everything about a participant"
    PARTICIPANT_ERASED = "participant_erased", "Erased a participant"
    REDACTED = "redacted", "Redacted words"
    MEMBER_INVITED = "member_invited", "Invited someone"
    INVITATION_REVOKED = "invitation_revoked", "Revoked an invitation"
    MEMBER_JOINED = "member_joined", "Joined the workspace"
    ROLE_CHANGED = "role_changed", "Changed a role"
    MEMBER_REMOVED = "member_removed", "Removed a member"
    SETTINGS_CHANGED = "settings_changed", "Changed the workspace settings"
    RETENTION_POLICY_CHANGED = "retention_policy_changed", "Changed the retention policy"
    RETENTION_OVERRIDE = "retention_override", "Kept an interview past the retention policy"
    RETENTION_OVERRIDE_LIFTED = "retention_override_lifted", "Let the retention policy apply again"
    RETENTION_APPLIED = "retention_applied", "Deleted by the retention policy"
    AUDIT_LOG_EXPORTED = "audit_log_exported", "Downloaded the audit log"
    TOKEN_CREATED = "token_created", "Made an API token"
    TOKEN_REVOKED = "token_revoked", "Revoked an API token"
    WEBHOOK_CHANGED = "webhook_changed", "Changed a webhook"


class AppendOnly(Exception):
    """An audit entry is never changed, and goes only with its age or its workspace."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnly("Audit entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries go only when they are older than HEARD_AUDIT_KEEP_DAYS.")

    def expire(self, before: datetime) -> int:
        """Delete the entries written before `before`: the retention purge, the one way
        entries go (besides their workspace's deletion)."""
        return super(AuditEntryQuerySet, self.filter(at__lt=before)).delete()[0]


class AuditEntry(models.Model):
    """One line of a workspace's audit log: who did what to what, when, and from where.

    Append-only: the model refuses to save a row again or delete one, and the database
    refuses to UPDATE the table (a trigger, migration `accounts/0006`), but for setting the
    actor to NULL when their account is deleted: `actor_label` keeps who they were. Its
    labels never hold a participant's name, email or phone ("Participant 12"), so that
    erasing a person leaves nothing of them here. On SQLite a migration that alters this
    table remakes it and drops the trigger: such a migration creates it again
    (`tests/accounts/test_audit_log.py` tries an UPDATE on the migrated database)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(
        max_length=420, blank=True, help_text="Their name and email as they were; empty: Heard."
    )
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    target_kind = models.CharField(max_length=60, blank=True, help_text='"interviews.recording"')
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(max_length=200, blank=True, help_text='"Recording 12"')
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    address = models.CharField(max_length=45, blank=True, help_text="The client's address.")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")
        verbose_name_plural = "audit entries"
        indexes = (
            # The owners' page (newest first), its filters within that range, the purge of a
            # workspace's old entries and the check that a play was recorded within the hour.
            models.Index(fields=("workspace", "-at"), name="audit_log_page_idx"),
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'Heard'}: {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit entries are never changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries go only when they are older than HEARD_AUDIT_KEEP_DAYS.")
