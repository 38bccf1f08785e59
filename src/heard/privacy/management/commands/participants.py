"""`heard participants export EMAIL --workspace SLUG -o FILE.zip`: everything held about a
participant; `heard participants erase EMAIL --workspace SLUG [--yes]`: erase them on their
request (without --yes, only the preview)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.accounts import audit
from heard.accounts.models import AuditAction, Workspace
from heard.participants.models import Participant
from heard.privacy import erasure, subject_access


class Command(BaseCommand):
    help = "Act on a participant's request: export everything about them, or erase them."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write everything held about them as a ZIP.")
        export.add_argument("email", help="The participant's email.")
        export.add_argument("--workspace", required=True, help="The workspace's slug.")
        export.add_argument("-o", "--output", required=True, help="The ZIP file to write.")
        erase = actions.add_parser(
            "erase", help="Show what erasing the participant would do; with --yes, do it."
        )
        erase.add_argument("email", help="The participant's email.")
        erase.add_argument("--workspace", required=True, help="The workspace's slug.")
        erase.add_argument("--yes", action="store_true", help="Erase, after the preview.")
        erase.add_argument(
            "--team-side",
            action="store_true",
            help="Erase the team's side of their transcripts too (kept by default).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace {options['workspace']!r}.")
        email = options["email"].strip()
        person = Participant.objects.filter(
            workspace=workspace, email__iexact=email, erased_at__isnull=True
        ).first()
        if not email or person is None:
            raise CommandError(f"No participant with the email {email!r} in {workspace.slug}.")
        if options["action"] == "export":
            self.export(person, Path(options["output"]))
        else:
            self.erase(person, options)

    def export(self, person: Participant, target: Path) -> None:
        audit.record(
            person.workspace,
            None,
            AuditAction.PARTICIPANT_EXPORTED,
            target=person,
            via="command line",
        )
        written = 0
        with target.open("wb") as out:
            for piece in subject_access.archive(person):
                out.write(piece)
                written += len(piece)
        self.stdout.write(f"Wrote {target} ({written:,} bytes).")

    def erase(self, person: Participant, options: dict[str, Any]) -> None:
        workspace = person.workspace
        found = erasure.preview(person, team_side=options["team_side"])
        self.stdout.write(f"Erasing participant {person.pk} of {workspace.slug} would take:")
        for key, count in found.counts.items():
            self.stdout.write(f"  {key.replace('_', ' ')}: {count}")
        self.stdout.write(f"  recording bytes: {found.recording_bytes}")
        for notice in found.notices:
            self.stdout.write(notice)
        if found.refusals:
            raise CommandError(" ".join(found.refusals))
        if not options["yes"]:
            self.stdout.write("Nothing erased: run again with --yes to erase.")
            return
        try:
            done = erasure.erase(
                person, None, team_side=options["team_side"], seen=found.fingerprint
            )
        except erasure.ErasureRefused as refusal:
            raise CommandError(str(refusal)) from None
        audit.record(
            workspace,
            None,
            AuditAction.PARTICIPANT_ERASED,
            target=person,
            erasure=done.pk,
            team_side=options["team_side"],
            via="command line",
        )
        self.stdout.write(
            self.style.SUCCESS(f"Erased (erasure {done.pk}, {done.erased_at:%Y-%m-%d %H:%M}).")
        )
