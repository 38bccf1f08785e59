"""People, the workspaces they share, and the links that let them in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from heard.core.languages import TRANSCRIPT_LANGUAGES


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A secret for a link, and the hash of it that is stored (never the secret itself)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, name: str, password: str | None = None) -> User:
        user = self.model(email=self.normalize_email(email).lower(), name=name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser):
    email = models.EmailField("email", unique=True)
    name = models.CharField("name", max_length=150)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    RESEARCHER = "researcher", "Researcher"
    OBSERVER = "observer", "Observer"

    def can_view(self) -> bool:
        return True

    def can_edit(self) -> bool:
        """Create and change studies, participants, guides and interviews."""
        return self in (Role.OWNER, Role.RESEARCHER)

    def can_manage_members(self) -> bool:
        """Invite people, change roles, rename the workspace."""
        return self is Role.OWNER

    def can_take_part_in_reviews(self) -> bool:
        """Vote on and challenge a review's findings: every member, observers included. The
        review is the meeting where stakeholders who otherwise only read challenge the team's
        conclusions."""
        return self.can_view()

    def can_export_participants(self, observers_allowed: bool) -> bool:
        """Download the whole participant list, every email and phone number in it, as CSV:
        those who edit the directory, and observers only where the workspace allows it (off
        by default). Reading one person's page is not carrying off the list."""
        return self.can_edit() or observers_allowed

    def can_handle_participant_requests(self) -> bool:
        """Act on a participant's request: export everything held about them, or erase them
        everywhere. Owners, who answer for what the workspace holds about people."""
        return self is Role.OWNER

    def can_read_audit_log(self) -> bool:
        """Read and download the workspace's audit log (who played, downloaded, exported,
        erased, or changed roles and retention): owners, who answer for it; the log names
        what each member read."""
        return self is Role.OWNER

    def can_queue_questions(self) -> bool:
        """Queue a question for the team's reserve during a call: every member, observers
        included, since stakeholders often join a call as guests and that is what guests do."""
        return self.can_view()

    def at_most(self, ceiling: Role) -> Role:
        """This role, lowered to `ceiling` where it is higher: what a member may do through a
        token made with a lower role than theirs."""
        order = list(Role)  # highest first
        return self if order.index(self) >= order.index(ceiling) else ceiling

    @property
    def description(self) -> str:
        return {
            Role.OWNER: "Everything, including inviting people and changing roles.",
            Role.RESEARCHER: "Plans studies, edits participants and guides, runs interviews.",
            Role.OBSERVER: "Reads everything and changes nothing.",
        }[self]


DEFAULT_PURPOSE = (
    "Thank you for taking the time to meet us, {participant_first_name}. As we discussed over "
    "mail, we are working on the next stage of our roadmap, and since we value {company} as "
    "one of our most prominent customers, we'd like to ask you some questions about "
    "{study_topic} and make sure we're heading in the right direction."
)


class Workspace(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    purpose_template = models.TextField(
        "why we are here",
        default=DEFAULT_PURPOSE,
        help_text="Said at the start of every interview. Fields in braces are filled in: "
        "{participant_first_name}, {participant_name}, {company}, {study_topic}, "
        "{study_goal}, {interviewer}.",
    )
    observers_may_export_participants = models.BooleanField(
        "observers may download the participant list",
        default=False,
        help_text="The CSV of every participant, with their email, phone and profile. Owners "
        "and researchers may always download it.",
    )
    observers_export_pseudonyms = models.BooleanField(
        "observers' downloads show pseudonyms",
        default=True,
        help_text="The matrix, summaries, transcripts and the coach's figures an observer "
        "downloads name each participant by a pseudonym (P07) and leave companies out. Anyone "
        "may ask for that on a download; this makes it the only way for observers.",
    )
    transcript_language = models.CharField(
        "language of transcripts",
        max_length=8,
        blank=True,
        choices=TRANSCRIPT_LANGUAGES,
        help_text="The language interviews are held in, for transcribing recordings; an "
        "interview may say otherwise. Left to detect, the speech model tells it from the "
        "recording.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESEARCHER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("workspace", "user"), name="membership_once_per_user"),
        )
        ordering = ("user__name",)

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def may_export_participants(self) -> bool:
        return self.role_enum.can_export_participants(
            self.workspace.observers_may_export_participants
        )


class InvitationStatus(models.TextChoices):
    """Where an invitation link stands (worked out from its dates, not stored)."""

    OPEN = "open", "Open"
    USED = "used", "Used"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class InvitationMail(models.TextChoices):
    """Where the email that carries an invitation link stands, when one is sent."""

    NOT_SENT = "", "Not emailed"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Emailed"
    FAILED = "failed", "Email failed"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use, expiring link to join a workspace in a given role."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(blank=True, help_text="Optional: whom the link is meant for.")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESEARCHER)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    mail_status = models.CharField(
        max_length=10, choices=InvitationMail.choices, blank=True, default=InvitationMail.NOT_SENT
    )
    mail_failure = models.TextField(blank=True, help_text="The mail server's reason, in words.")
    mailed_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Invitation to {self.workspace} as {self.role} ({self.status})"

    @property
    def status(self) -> InvitationStatus:
        if self.used_at:
            return InvitationStatus.USED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.OPEN

    @classmethod
    def issue(
        cls,
        *,
        workspace: Workspace,
        role: str,
        email: str,
        created_by: User,
        days: int,
    ) -> tuple[Invitation, str]:
        token, token_hash = new_token()
        invitation = cls.objects.create(
            workspace=workspace,
            role=role,
            email=email,
            created_by=created_by,
            token_hash=token_hash,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return invitation, token


class SignInLink(models.Model):
    """A one-time sign-in link, printed to the terminal by `heard demo`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sign-in link for {self.user}"

    @classmethod
    def issue(cls, user: User, minutes: int = 60) -> str:
        token = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            token_hash=hash_token(token),
            expires_at=timezone.now() + timedelta(minutes=minutes),
        )
        return token


class LoginFailure(models.Model):
    """A failed sign-in, kept briefly so that guessing can be slowed down across processes."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.email} from {self.ip_address} at {self.at}"


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
