from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.urls import reverse

from heard.accounts.models import SignInLink
from heard.demo.builder import build_demo_workspace
from heard.site.management.commands.serve import Command as ServeCommand


class Command(BaseCommand):
    help = (
        "Start Heard with a demo workspace (a study, participants, a guide and interviews) and "
        "print a one-time sign-in link. Unless HEARD_DATA_DIR is set, the demo keeps its data "
        "in a folder of its own, apart from your real data."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        ServeCommand().add_arguments(parser)
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Only create the demo data and print the sign-in link.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        demo = build_demo_workspace()
        token = SignInLink.issue(demo.user, minutes=60)
        host, port = options["host"], options["port"]
        base = (
            f"http://{host}:{port}"
            if (host, port) != ("127.0.0.1", 8000)
            else settings.HEARD_BASE_URL
        )
        link = base + reverse("accounts:sign_in_link", args=[token])
        self.stdout.write(
            f"\nDemo workspace “{demo.workspace.name}” is ready (data in {settings.DATA_DIR}).\n"
            f"Sign in as {demo.user.name} with this one-time link (valid for an hour):\n\n"
            f"    {link}\n"
        )
        if not options["no_serve"]:
            call_command(
                "serve",
                host=host,
                port=port,
                processes=options["processes"],
                no_worker=options["no_worker"],
            )
