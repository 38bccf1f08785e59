from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.accounts.models import Workspace
from heard.search import keeping
from heard.search.models import Entry


class Command(BaseCommand):
    help = (
        "Make the search index again from what it indexes, for every workspace or one "
        "(--workspace SLUG), and say how many entries it holds. Searching goes on meanwhile; "
        "the new index takes the old one's place when it is whole."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--workspace", metavar="SLUG", help="Only this workspace.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing: count the entries and say whether a rebuild would change them.",
        )

    def handle(
        self, *args: Any, workspace: str | None = None, check: bool = False, **options: Any
    ) -> None:
        scope = None
        if workspace:
            scope = Workspace.objects.filter(slug=workspace).first()
            if scope is None:
                raise CommandError(f"No workspace is called “{workspace}”.")
        if check:
            stale = keeping.differences(scope)
            held = Entry.objects.filter(**({"workspace": scope} if scope else {})).count()
            if stale:
                raise CommandError(
                    f"The index holds {held:,} entries and is out of step: {stale:,} would change. "
                    "Run `heard manage search_index` to make it again."
                )
            self.stdout.write(f"The index holds {held:,} entries, in step with what it indexes.")
            return
        started = time.monotonic()
        count = keeping.rebuild(scope)
        took = time.monotonic() - started
        where = f" of {scope.name}" if scope else ""
        self.stdout.write(f"Indexed {count:,} entries{where} in {took:.1f} s.")
