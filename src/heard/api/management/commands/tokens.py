"""`heard tokens`: make, list and revoke API tokens from a terminal, for scripts and
deployments. A token is printed once, when made, and never again."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from heard.accounts.models import Role, User, Workspace
from heard.api import tokens
from heard.api.models import ApiToken

VIA = "command line"


class Command(BaseCommand):
    help = "Make, list and revoke personal access tokens for Heard's API."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Make a token and print it (once).")
        create.add_argument("--user", required=True, metavar="EMAIL", help="Whose token it is.")
        create.add_argument("--workspace", required=True, metavar="SLUG")
        create.add_argument("--name", default="Command line", help="What it is for.")
        create.add_argument(
            "--role", choices=Role.values, help="Lower than the user's own (default: theirs)."
        )
        create.add_argument("--read-only", action="store_true", help="It may only read.")
        create.add_argument(
            "--expires", type=int, metavar="DAYS", help="It stops working after DAYS days."
        )
        listing = actions.add_parser("list", help="List a workspace's tokens (never the tokens).")
        listing.add_argument("--workspace", required=True, metavar="SLUG")
        revoke = actions.add_parser("revoke", help="Stop a token from working.")
        revoke.add_argument("--workspace", required=True, metavar="SLUG")
        revoke.add_argument(
            "token", metavar="PREFIX", help="The start shown by `list`: heard_ab12cd34"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace has the slug {options['workspace']!r}.")
        getattr(self, f"_{options['action']}")(workspace, options)

    def _create(self, workspace: Workspace, options: dict[str, Any]) -> None:
        user = User.objects.filter(email__iexact=options["user"].strip()).first()
        if user is None:
            raise CommandError(f"No account has the email {options['user']!r}.")
        try:
            made = tokens.create(
                workspace,
                user,
                name=options["name"],
                role=Role(options["role"]) if options["role"] else None,
                read_only=options["read_only"],
                expires_in_days=options["expires"],
                via=VIA,
            )
        except (PermissionDenied, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(made.secret)
        what = f"{made.token.get_role_display()}{', read only' if made.token.read_only else ''}"
        until = made.token.expires_at.date().isoformat() if made.token.expires_at else "revoked"
        self.stderr.write(
            f"Token {made.token.shown} of {user.email} in {workspace.slug} ({what}), working "
            f"until {until}. It is shown only now."
        )

    def _list(self, workspace: Workspace, options: dict[str, Any]) -> None:
        for token in ApiToken.objects.filter(workspace=workspace).select_related("user"):
            state = "revoked" if token.revoked_at else "active" if token.is_live else "expired"
            used = (
                token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
            )
            self.stdout.write(
                f"{token.shown.rstrip('…')}\t{token.user.email}\t{token.role}"
                f"{' read-only' if token.read_only else ''}\t{state}\tlast used {used}\t{token.name}"
            )

    def _revoke(self, workspace: Workspace, options: dict[str, Any]) -> None:
        prefix = options["token"].removeprefix("heard_")[:8]
        token = ApiToken.objects.filter(workspace=workspace, prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token of {workspace.slug} starts with heard_{prefix}.")
        if not tokens.revoke(token, None, via=VIA):
            raise CommandError(f"{token.shown} was revoked already.")
        self.stderr.write(f"{token.shown} ({token.name}) no longer opens the API.")
