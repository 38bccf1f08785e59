"""Personal access tokens: what a script or another tool signs in to the API with.

A token belongs to one person in one workspace, with a role no higher than theirs when it
was made (and, at each request, no higher than theirs then), optionally read-only and with an
end. Only a hash of it is kept: it is shown once, when made. Its first characters (`prefix`,
not secret) find its row; the rest is compared by hash.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone

from heard.accounts.models import Role, User, Workspace

# "heard_" + 8 characters that find the row + 40 secret ones.
TOKEN_START = "heard_"  # noqa: S105 - the tokens' start, which is no secret
PREFIX_LENGTH = 8


def digest(secret: str) -> str:
    """The stored hash of a token. A token is 240 random bits: a plain SHA-256 is enough (a
    slow hash guards guessable passwords, which these are not)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> tuple[str, str, str]:
    """A new token as shown once, its prefix and its digest."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    token = f"{TOKEN_START}{prefix}{secrets.token_urlsafe(30)}"
    return token, prefix, digest(token)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked, not past their end."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)


class ApiToken(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, help_text="What it is for, so you know which to revoke: “CRM sync”."
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    read_only = models.BooleanField(default=False)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The requests of the current minute (`rate_window`, whole minutes since 1970): the rate
    # limit, counted in the row every process reads.
    rate_window = models.BigIntegerField(default=0, editable=False)
    rate_window_requests = models.PositiveIntegerField(default=0, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("workspace", "user"), name="api_token_owner_idx"),)

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_START}{self.prefix}…)"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def shown(self) -> str:
        """How lists name the token: its start, which is not secret."""
        return f"{TOKEN_START}{self.prefix}…"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )
