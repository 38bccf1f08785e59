"""The accounts app's models: people, workspaces and the roles of their members
(people.py); the ways in, invitations and sign-in links, and the failed sign-ins that slow
down guessing (links.py); the audit log (audit.py)."""

from heard.accounts.models.audit import AppendOnly, AuditAction, AuditEntry, AuditEntryQuerySet
from heard.accounts.models.links import (
    Invitation,
    InvitationMail,
    InvitationQuerySet,
    InvitationStatus,
    LoginFailure,
    SignInLink,
)
from heard.accounts.models.people import (
    DEFAULT_PURPOSE,
    Membership,
    Role,
    User,
    UserManager,
    Workspace,
)

__all__ = [
    "DEFAULT_PURPOSE",
    "AppendOnly",
    "AuditAction",
    "AuditEntry",
    "AuditEntryQuerySet",
    "Invitation",
    "InvitationMail",
    "InvitationQuerySet",
    "InvitationStatus",
    "LoginFailure",
    "Membership",
    "Role",
    "SignInLink",
    "User",
    "UserManager",
    "Workspace",
]
