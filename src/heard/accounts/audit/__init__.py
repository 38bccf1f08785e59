"""The audit log: who played a recording, downloaded or exported anything, erased a
participant, changed a role or a retention policy, and when.

Every stage writes it through `record`: from a view through `record_request` (the request
names the workspace, the person and their address), from a service or a command without a
request. Entries are append-only
(`AuditEntry`); the one way they go is `purge`, which the worker runs every day, and the
deletion of their workspace. Owners read them on `settings/audit/` (`audit/views.py`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst

from heard.accounts.models import AuditAction, AuditEntry, User, Workspace
from heard.accounts.requests import WorkspaceRequest
from heard.core.proxy import client_address

# The longest text each label keeps (the model's column sizes).
ACTOR_LABEL_MAX = 420
TARGET_LABEL_MAX = 200


def person_label(user: User) -> str:
    """A person as the log names them: their name and email as they are now, kept as they
    were once the account changes or goes."""
    return f"{user.name} <{user.email}>"[:ACTOR_LABEL_MAX]


def record(
    workspace: Workspace,
    actor: User | None,
    action: AuditAction,
    *,
    target: models.Model | None = None,
    target_kind: str = "",
    target_id: str | int = "",
    target_label: str = "",
    request: HttpRequest | None = None,
    once_within: datetime.timedelta | None = None,
    **details: Any,
) -> AuditEntry | None:
    """Write one entry of `workspace`'s log: `actor` (None: Heard itself, or the command line
    with `via="command line"`) did `action` to `target` (or to what `target_kind`,
    `target_id` and `target_label` name, for a thing that is gone or has no row).

    The target's label defaults to its kind and id ("Recording 12"): never its name, which
    may be a participant's; a label given must say nothing of a participant either ("a
    participant's name, email or phone" stays out of the log, so that erasing them leaves
    nothing here). `details` are a few JSON values (ids, a format, counts). With
    `once_within`, nothing is written when the same person's same action on the same target
    is in the log already within that time (and None comes back)."""
    if target is not None:
        target_kind = target_kind or target._meta.label_lower
        target_id = target_id or target.pk
        target_label = target_label or f"{capfirst(target._meta.verbose_name)} {target.pk}"
    if once_within is not None and actor is not None:
        recent = AuditEntry.objects.filter(
            workspace=workspace,
            at__gte=timezone.now() - once_within,
            actor=actor,
            action=action,
            target_kind=target_kind,
            target_id=str(target_id),
        )
        if recent.exists():
            return None
    return AuditEntry.objects.create(
        workspace=workspace,
        actor=actor,
        actor_label=person_label(actor) if actor is not None else "",
        action=action,
        target_kind=target_kind,
        target_id=str(target_id),
        target_label=target_label[:TARGET_LABEL_MAX],
        details=details,
        address=client_address(request) if request is not None else "",
    )


def record_request(
    request: WorkspaceRequest,
    action: AuditAction,
    target: models.Model | None = None,
    **arguments: Any,
) -> AuditEntry | None:
    """`record` from a workspace view: its request names the workspace (the membership its
    access check found), the person and their address."""
    return record(
        request.membership.workspace,
        request.user,
        action,
        target=target,
        request=request,
        **arguments,
    )


def purge(now: datetime.datetime | None = None) -> int:
    """Delete every workspace's entries older than `HEARD_AUDIT_KEEP_DAYS` (0: keep them for
    ever), a workspace at a time along the log's index; how many went."""
    if not settings.HEARD_AUDIT_KEEP_DAYS:
        return 0
    before = (now or timezone.now()) - datetime.timedelta(days=settings.HEARD_AUDIT_KEEP_DAYS)
    return sum(
        AuditEntry.objects.filter(workspace_id=workspace).expire(before)
        for workspace in Workspace.objects.values_list("pk", flat=True)
    )
