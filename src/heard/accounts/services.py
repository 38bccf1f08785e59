"""Account rules: first run, sign-in throttling, invitations and one-time sign-in links."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from heard.accounts.models import (
    Invitation,
    InvitationStatus,
    LoginFailure,
    Membership,
    Role,
    SignInLink,
    User,
    Workspace,
)
from heard.accounts.tokens import hash_token


class InvitationError(Exception):
    """An invitation link that cannot be used, with the reason to show."""


def needs_first_run() -> bool:
    return not User.objects.exists()


def unique_workspace_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, counter = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def create_workspace(name: str, owner: User) -> Workspace:
    with transaction.atomic():
        workspace = Workspace.objects.create(name=name, slug=unique_workspace_slug(name))
        add_member(workspace, owner, Role.OWNER)
    return workspace


def add_member(workspace: Workspace, user: User, role: str = Role.RESEARCHER) -> Membership:
    """Make `user` a member of `workspace` in `role`, without an invitation (the command line,
    the demo). Someone who is a member already keeps the role they have."""
    membership, _ = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    return membership


def create_owner(*, email: str, name: str, password: str, workspace_name: str) -> User:
    """First run: the owner account and its first workspace, only while no account exists."""
    with transaction.atomic():
        if User.objects.select_for_update().exists():
            raise PermissionError("An owner account already exists.")
        user = User.objects.create_user(email=email, name=name, password=password)
        create_workspace(workspace_name, user)
    return user


# Sign-in throttling ---------------------------------------------------------------------------


def _recent_failures_since() -> datetime:
    return timezone.now() - timedelta(minutes=settings.HEARD_LOGIN_LOCKOUT_MINUTES)


def reserve_sign_in_attempt(email: str, ip_address: str) -> int | None:
    """Count an attempt as failed before its password is checked, unless too many recent
    failures for this email or from this address pause sign-in: then None.

    The count and the insert happen under one lock (SQLite's write lock, taken when the
    transaction begins; on PostgreSQL an advisory lock per email and per address), so
    attempts sent at once are counted one after the other and no more than the limit get
    their password checked. The attempt's row id comes back; a right password clears the
    email's failures (`clear_sign_in_failures`), a check that could not run takes the
    attempt back (`release_sign_in_attempt`)."""
    email = email.lower()
    since = _recent_failures_since()
    limit = settings.HEARD_LOGIN_MAX_FAILURES
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for key in (f"sign-in email {email}", f"sign-in address {ip_address}"):
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
        recent = LoginFailure.objects.filter(at__gte=since)
        if (
            recent.filter(email=email).count() >= limit
            or recent.filter(ip_address=ip_address).count() >= limit * 4
        ):
            return None
        attempt = LoginFailure.objects.create(email=email, ip_address=ip_address)
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
    return attempt.pk


def release_sign_in_attempt(attempt: int) -> None:
    """The password was not checked after all (the server was busy): the attempt counts not."""
    LoginFailure.objects.filter(pk=attempt).delete()


def clear_sign_in_failures(email: str) -> None:
    LoginFailure.objects.filter(email=email.lower()).delete()


# Invitations ----------------------------------------------------------------------------------


def invitation_for_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("workspace").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise InvitationError("This invitation link is not valid. Ask for a new one.")
    if invitation.status != InvitationStatus.OPEN:
        raise InvitationError(
            f"This invitation link has been {invitation.status}. Ask the workspace owner for a new one."
        )
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    """Join the workspace through a single-use link; a second use fails even when concurrent."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        claimed = (
            Invitation.objects.usable()
            .filter(pk=invitation.pk)
            .update(used_at=timezone.now(), used_by=user)
        )
        if not claimed:
            raise InvitationError("This invitation link has just been used.")
        existing = Membership.objects.filter(workspace=invitation.workspace, user=user).first()
        if existing is not None:
            return existing
        try:
            return Membership.objects.create(
                workspace=invitation.workspace, user=user, role=invitation.role
            )
        except IntegrityError:
            return Membership.objects.get(workspace=invitation.workspace, user=user)


# One-time sign-in links -----------------------------------------------------------------------


def redeem_sign_in_link(token: str) -> User | None:
    with transaction.atomic():
        link = (
            SignInLink.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        )
        if link is None:
            return None
        claimed = SignInLink.objects.filter(
            pk=link.pk, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(used_at=timezone.now())
        return link.user if claimed and link.user.is_active else None


def change_role(membership: Membership, role: Role) -> None:
    """Change a member's role, keeping at least one owner in every workspace."""
    if membership.role == Role.OWNER and role != Role.OWNER:
        owners = Membership.objects.filter(workspace=membership.workspace, role=Role.OWNER)
        if owners.count() <= 1:
            raise PermissionError("A workspace needs at least one owner.")
    membership.role = role
    membership.save(update_fields=["role"])


def remove_member(membership: Membership) -> None:
    if membership.role == Role.OWNER:
        owners = Membership.objects.filter(workspace=membership.workspace, role=Role.OWNER)
        if owners.count() <= 1:
            raise PermissionError("A workspace needs at least one owner.")
    membership.delete()
