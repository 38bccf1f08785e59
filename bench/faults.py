"""Faults: people keep working while the server and the worker are killed, the database is locked
and connections drop; afterwards every note, vote, sent mail and import is there exactly once.

Seeds a workspace (a fresh SQLite data folder, or the PostgreSQL database of --database-url)
with a study, its guide, an open review of ten findings, and for each simulated person a live
interview and follow-up drafts; starts a real SMTP server in this process (aiosmtpd, keeping
every message), a real `heard serve --processes 2` and a real `heard worker` (the server's
in-process worker is off, so the separate worker sends the mail). Then 50 people, each signed
in with a session of their own (bench/fault_users.py), work for --minutes: notes through the
live screen's outbox (browser-made ids, resent until answered), question states, votes in the
review, Send on follow-ups, participant CSV imports; each retries what was not acknowledged.

Meanwhile, at random moments: SIGKILL of every process of `heard serve` (then a restart), the
same for `heard worker`, the database's write lock held from another connection for up to 8 s
(SQLite: BEGIN IMMEDIATE … ROLLBACK; PostgreSQL: a transaction left idle holding row locks on
a fifth of the interviews), and a person's request cut a few milliseconds after it was sent.

At the end the faults stop, the outboxes and the task queue drain, and the database and the
mail server are checked: each acknowledged note, question state, vote, mail and import once.

    .venv/bin/python bench/faults.py                          # SQLite, 12 minutes, 50 people
    .venv/bin/python bench/faults.py --minutes 1 --users 10   # a quick run
    .venv/bin/python bench/faults.py --database-url postgres://postgres@127.0.0.1:5432/heard_faults

The last line is one JSON object: {"faults": .., "notes_sent": .., "notes_stored": ..,
"duplicates": .., "errors_5xx": .., "lost": .., ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from fault_checks import check, report
from fault_injection import Faults, postgres_lock, sqlite_lock
from fault_users import REQUEST_TIMEOUT_S, Person, Tally
from support import Server, Worker, fresh_env, signed_in, stop_on_sigterm

ROOT = Path(__file__).resolve().parent.parent
FINDINGS = 10


def seed(users: int, mails: int, slug: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The workspace, and what each person works on (addresses, ids, a session)."""
    import datetime

    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.followups.services import create_draft
    from heard.guides.models import Guide, Question, Section
    from heard.interviews.live import milestones
    from heard.interviews.models import Interview, QuestionStatus, TeamMember
    from heard.participants.models import Participant
    from heard.studies.models import Study
    from heard.synthesis.models import Finding, Review, VoteChoice

    plans = []
    with transaction.atomic():
        workspace = Workspace.objects.create(name="Fault bench", slug=slug)
        study = Study.objects.create(
            workspace=workspace, title="Reporting pains", goal="Learn why reports take long."
        )
        guide = Guide.objects.create(study=study, title="Guide")
        section = Section.objects.create(guide=guide, title="Context", position=0)
        questions = [
            Question.objects.create(section=section, text=f"Question {q + 1}?", position=q).pk
            for q in range(6)
        ]
        findings = Finding.objects.bulk_create(
            Finding(study=study, statement=f"Finding {f + 1}") for f in range(FINDINGS)
        )
        people = User.objects.bulk_create(
            User(email=f"{slug}-{i}@bench.example", name=f"Person {i:02d}", password="!")
            for i in range(users)
        )
        Membership.objects.bulk_create(
            Membership(workspace=workspace, user=user, role=Role.RESEARCHER) for user in people
        )
        review = Review.objects.create(study=study, title="Bench review", started_by=people[0])
        starts = timezone.now() - datetime.timedelta(minutes=1)
        for i, user in enumerate(people):
            participant = Participant.objects.create(
                workspace=workspace, name=f"Customer {i}", email=f"customer{i}@client.example"
            )
            interview = Interview.objects.create(
                study=study,
                participant=participant,
                guide=guide,
                starts_at=starts,
                time_zone="Europe/Berlin",
                length_minutes=45,
            )
            TeamMember.objects.create(
                interview=interview, user=user, role="interviewer", seniority=1
            )
            milestones.start(interview, user)
            kwargs = {"ws": slug, "pk": interview.pk}
            drafts = []
            for m in range(mails):
                followup = create_draft(
                    interview,
                    user,
                    to_email=participant.email,
                    subject=f"Thank you ({i}-{m})",
                    body="Thank you for your time.",
                )
                send = reverse(
                    "followups:send",
                    kwargs={"ws": slug, "interview_pk": interview.pk, "pk": followup.pk},
                )
                drafts.append((followup.pk, send))
            question_url = reverse(
                "interviews:live_question", kwargs=kwargs | {"question_id": 999999}
            )
            plans.append(
                {
                    "person": signed_in(user),
                    "interview": interview.pk,
                    "notes": reverse("interviews:live_note_save", kwargs=kwargs),
                    "question_url": question_url.replace("999999", "{question}"),
                    "questions": questions,
                    "mails": drafts,
                }
            )
    vote_url = reverse(
        "reviews:vote", kwargs={"ws": slug, "pk": review.pk, "finding_pk": 999999}
    ).replace("999999", "{finding}")
    choices = {
        "findings": [finding.pk for finding in findings],
        "votes": list(VoteChoice.values),
        "question_states": list(QuestionStatus.values),
        "vote_url": vote_url,
        "import_url": reverse("participants:import", kwargs={"ws": slug}),
        "review": review.pk,
        "slug": slug,
        "interviews": [plan["interview"] for plan in plans],
    }
    return plans, choices


async def drive(
    args: argparse.Namespace,
    plans: list[dict[str, Any]],
    choices: dict[str, Any],
    server: Server,
    worker: Worker,
    lock: Any,
    tally: Tally,
) -> dict[str, Any]:
    import aiohttp

    people = [Person(server.url, plan, tally, choices) for plan in plans]
    until = time.monotonic() + args.minutes * 60
    faults = Faults(tally, args, people)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    drained: dict[str, Any] = {}
    async with aiohttp.ClientSession(
        timeout=timeout,
        cookie_jar=aiohttp.DummyCookieJar(),
        connector=aiohttp.TCPConnector(limit=0),
    ) as http:
        work = [
            asyncio.ensure_future(
                asyncio.gather(
                    person.take_notes(http, until, args.note_every),
                    person.work(http, until, args.pause),
                )
            )
            for person in people
        ]
        injecting = asyncio.ensure_future(faults.run(server, worker, lock, until))
        watchers = [asyncio.ensure_future(faults.watch(group)) for group in (server, worker)]
        progress = asyncio.ensure_future(show_progress(tally, until))
        await injecting
        progress.cancel()
        print("faults stopped; letting the outboxes drain", file=sys.stderr, flush=True)
        started = time.monotonic()
        done, pending = await asyncio.wait(work, timeout=args.drain)
        drained["people_s"] = round(time.monotonic() - started, 1)
        drained["people_unfinished"] = len(pending)
        for task in pending:
            task.cancel()
        await asyncio.gather(*work, return_exceptions=True)
        for task in done:
            if task.exception():
                raise task.exception()  # type: ignore[misc]
        drained["outbox_left"] = sum(len(person.outbox) for person in people)
        drained["mail_s"] = await asyncio.to_thread(wait_for_mail, choices["slug"], args.drain)
        faults.watching = False
        await asyncio.gather(*watchers)
    return drained


async def show_progress(tally: Tally, until: float) -> None:
    while True:
        await asyncio.sleep(30)
        left = max(0, until - time.monotonic())
        print(
            f"  {left:4.0f} s left: faults {sum(tally.faults.values())} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(tally.faults.items()))}); "
            f"notes {len(tally.notes)}, votes {tally.attempts['vote']}, mails "
            f"{len(tally.mails)}, imports {len(tally.imports)}; 5xx "
            f"{sum(tally.errors_5xx().values())}",
            file=sys.stderr,
            flush=True,
        )


def wait_for_mail(slug: str, seconds: float) -> float:
    """Until no mail of the workspace waits in the queue or is being sent (or time is up). A
    mail sending for half a minute lost its worker midway: it stays so, in doubt, as Heard
    shows it (sending the local server takes milliseconds)."""
    import datetime

    from django.db import close_old_connections
    from django.db.models import Q
    from django.utils import timezone

    from heard.followups.models import FollowUp, MailStatus

    started = time.monotonic()
    mails = FollowUp.objects.filter(interview__study__workspace__slug=slug)
    while time.monotonic() - started < seconds:
        close_old_connections()
        recent = timezone.now() - datetime.timedelta(seconds=30)
        waiting = Q(status=MailStatus.QUEUED) | Q(
            status=MailStatus.SENDING, sending_since__gt=recent
        )
        if not mails.filter(waiting).exists():
            break
        time.sleep(1)
    close_old_connections()
    return round(time.monotonic() - started, 1)


def environment(args: argparse.Namespace) -> dict[str, str]:
    """A fresh data folder; a fresh SQLite database in it unless --database-url names one."""
    env = fresh_env("sqlite", "")
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    env |= {
        "HEARD_SECRET_KEY": secrets.token_urlsafe(50),
        "HEARD_ALLOWED_HOSTS": "127.0.0.1",
        "HEARD_INPROCESS_WORKER": "false",
        "HEARD_LOG_LEVEL": "WARNING",
        "HEARD_EMAIL_FROM": "Research team <research@bench.example>",
        "PYTHONPATH": str(ROOT / "src"),
    }
    return env


def run(args: argparse.Namespace) -> dict[str, Any]:
    env = environment(args)
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    data_dir = Path(env["HEARD_DATA_DIR"])
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    from tests.support.smtp import running_smtp

    from heard.interviews.models import Interview

    call_command("migrate", verbosity=0)
    slug = f"fault-bench-{secrets.token_hex(3)}"
    plans, choices = seed(args.users, args.mails, slug)
    database = "sqlite" if settings.IS_SQLITE else "postgresql"
    if settings.IS_SQLITE:
        lock = sqlite_lock(str(settings.DATABASES["default"]["NAME"]))
    else:
        lock = postgres_lock(env["DATABASE_URL"], Interview._meta.db_table, choices["interviews"])
    connections.close_all()
    tally = Tally()
    result: dict[str, Any] = {"database": database, "users": args.users, "minutes": args.minutes}
    with running_smtp() as sink:
        env["HEARD_EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
        server = Server(env, 2, data_dir / "server.log")
        worker = Worker(env, data_dir / "worker.log")
        try:
            server.start()
            worker.start()
            print(
                f"{database}: {args.users} people for {args.minutes:g} min against "
                f"{server.url} (heard serve --processes 2, heard worker)",
                file=sys.stderr,
                flush=True,
            )
            result["drain"] = asyncio.run(drive(args, plans, choices, server, worker, lock, tally))
        finally:
            server.stop()
            worker.stop()
        result |= check(tally, slug, sink.received)
        result["server_log"] = server.log_summary(len(server.log_lines()))["load"]
        result["worker_log"] = worker.log_summary(len(worker.log_lines()))["load"]
    connections.close_all()
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    else:
        result["data_dir"] = str(data_dir)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=12.0, help="minutes of faults (12)")
    parser.add_argument("--users", type=int, default=50, help="simulated people (50)")
    parser.add_argument("--database-url", default="", help="PostgreSQL (default: SQLite)")
    parser.add_argument("--kill-every", type=float, default=22.0, help="mean s between kills")
    parser.add_argument("--lock-every", type=float, default=5.0, help="mean s between locks")
    parser.add_argument("--drop-every", type=float, default=0.3, help="mean s between drops")
    parser.add_argument("--note-every", type=float, default=3.0, help="s between notes")
    parser.add_argument("--pause", type=float, default=3.0, help="s between other actions")
    parser.add_argument("--mails", type=int, default=12, help="follow-up drafts a person has")
    parser.add_argument("--drain", type=float, default=180.0, help="s to wait at the end")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and logs")
    args = parser.parse_args()
    stop_on_sigterm()
    result = run(args)
    report(result)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(1, str(ROOT))
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: the server and the worker are stopped", file=sys.stderr)
        sys.exit(130)
