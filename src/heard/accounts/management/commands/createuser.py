from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from heard.accounts import audit
from heard.accounts.models import AuditAction, Role, User, Workspace
from heard.accounts.services import add_member, create_workspace


class Command(BaseCommand):
    help = (
        "Create an account. With --workspace NAME it also creates that workspace and makes the "
        "account its owner; with --join SLUG it adds the account to an existing workspace."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        target = parser.add_mutually_exclusive_group()
        target.add_argument(
            "--workspace", help="Create a workspace with this name, owned by the account."
        )
        target.add_argument(
            "--join", metavar="SLUG", help="Add the account to this existing workspace."
        )
        parser.add_argument(
            "--role", choices=Role.values, default=Role.RESEARCHER, help="Role with --join."
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input instead of prompting.",
        )

    def read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password, again: "):
            raise CommandError("The two passwords differ.")
        return first

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account for {email} exists already.")
        workspace = None
        if options["join"]:
            workspace = Workspace.objects.filter(slug=options["join"]).first()
            if workspace is None:
                raise CommandError(f"No workspace with the slug {options['join']!r}.")
        password = self.read_password(options["password_stdin"])
        probe = User(email=email, name=options["name"])
        try:
            password_validation.validate_password(password, probe)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            user = User.objects.create_user(email=email, name=options["name"], password=password)
            if options["workspace"]:
                workspace = create_workspace(options["workspace"], user)
                self.stdout.write(f"Created {email}, owner of workspace {workspace.name!r}.")
            elif workspace is not None:
                member = add_member(workspace, user, options["role"])
                audit.record(
                    workspace,
                    None,
                    AuditAction.MEMBER_JOINED,
                    target=member,
                    target_label=audit.person_label(user),
                    role=member.role,
                    via="command line",
                )
                self.stdout.write(f"Created {email}, {options['role']} in {workspace.name!r}.")
            else:
                self.stdout.write(
                    f"Created {email}. Invite them to a workspace from its Team page."
                )
