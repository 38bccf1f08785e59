"""The ways in: invitation links to join a workspace in a role (and the email that carries
one), one-time sign-in links, and the failed sign-ins kept to slow down guessing."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone

from heard.accounts.models.people import Role, User, Workspace
from heard.accounts.tokens import hash_token, new_token


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
