"""Making, checking and revoking personal access tokens: the one way the API lets anyone in.

Web pages and `heard tokens` make tokens through `create`; every API request is let in by
`authenticate`, which finds the token's row by its prefix, compares the whole token by hash,
and counts the request against the token's rate limit in the same statement that records its
use.
"""

from __future__ import annotations

import datetime
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.models import AuditAction, Membership, Role, User, Workspace
from heard.api.models import PREFIX_LENGTH, TOKEN_START, ApiToken, digest, new_secret
from heard.core import statements

LONGEST_LIFE_DAYS = 3650


@dataclass(frozen=True)
class Made:
    token: ApiToken
    secret: str  # shown once, never stored


def roles_up_to(role: Role) -> list[Role]:
    """The roles a member of `role` may give a token: theirs and those below it."""
    return [choice for choice in Role if choice.at_most(role) is choice]


def create(
    workspace: Workspace,
    user: User,
    *,
    name: str,
    role: Role | None = None,
    read_only: bool = False,
    expires_in_days: int | None = None,
    via: str = "",
) -> Made:
    """A new token of `user` in `workspace`: their role or a lower one, never a higher."""
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    if membership is None or not user.is_active:
        raise PermissionDenied("Only a member of the workspace can make a token for it.")
    held = membership.role_enum
    role = held if role is None else role
    if role.at_most(held) is not role:
        raise PermissionDenied(f"A token cannot have a higher role than yours ({held.label}).")
    if expires_in_days is not None and not 1 <= expires_in_days <= LONGEST_LIFE_DAYS:
        raise ValueError(f"A token lasts from 1 to {LONGEST_LIFE_DAYS} days.")
    secret, prefix, hashed = new_secret()
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            workspace=workspace,
            user=user,
            name=name.strip()[:100] or "API token",
            role=role,
            read_only=read_only,
            prefix=prefix,
            digest=hashed,
            created_at=now,
            expires_at=(
                now + datetime.timedelta(days=expires_in_days) if expires_in_days else None
            ),
        )
        audit.record(
            workspace,
            user,
            AuditAction.TOKEN_CREATED,
            target=token,
            target_label=f"API token {token.shown}",
            **_details(via, role=role.value, read_only=read_only),
        )
    return Made(token, secret)


def _details(via: str, **details: Any) -> dict[str, Any]:
    """What the audit log keeps of a token's making or revoking: ids and flags, never it."""
    return {**details, "via": via} if via else details


def revoke(token: ApiToken, by: User | None, *, via: str = "") -> bool:
    """Stop `token` from opening the API from now on; False if it no longer did."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if changed:
            audit.record(
                token.workspace,
                by,
                AuditAction.TOKEN_REVOKED,
                target=token,
                target_label=f"API token {token.shown}",
                **_details(via),
            )
    return bool(changed)


def tokens_of(workspace: Workspace, user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(workspace=workspace, user=user))


def find(presented: str) -> ApiToken | None:
    """The live token `presented` is, with its owner and workspace, if its owner is still an
    active member of the workspace; None otherwise (unknown, revoked, expired, or its owner
    gone)."""
    if not presented.startswith(TOKEN_START) or len(presented) > 200:
        return None
    prefix = presented[len(TOKEN_START) : len(TOKEN_START) + PREFIX_LENGTH]
    token = (
        ApiToken.objects.live()
        .filter(
            prefix=prefix,
            user__is_active=True,
            user__memberships__workspace_id=F("workspace_id"),
        )
        .select_related("user", "workspace")
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, digest(presented)):
        return None
    return token


def _count_sql(db: BaseDatabaseWrapper) -> str:
    table = statements.table(ApiToken, db)
    window, used, last = (
        statements.column(ApiToken, name, db)
        for name in ("rate_window", "rate_window_requests", "last_used_at")
    )
    return (
        f"UPDATE {table} SET {used} = CASE WHEN {window} = %s THEN {used} + 1 ELSE 1 END,"  # noqa: S608 - names from the model
        f" {window} = %s, {last} = %s WHERE id = %s RETURNING {used}"
    )


def count_request(token: ApiToken) -> tuple[int, int]:
    """Count one request against `token`'s limit and record its use: the requests made in
    this minute so far (this one included), and the seconds left in the minute."""
    now = timezone.now()
    epoch = int(now.timestamp())
    window = epoch // 60
    sql = statements.written("api.count_request", _count_sql)
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [window, window, stamp, token.pk])
        row = cursor.fetchone()
    return (row[0] if row else 0), 60 - epoch % 60


def limit_per_minute() -> int:
    return int(settings.HEARD_API_REQUESTS_PER_MINUTE)
