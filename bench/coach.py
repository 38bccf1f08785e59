"""The interviewer coach on a big interview and a long trend, on SQLite and on PostgreSQL.

Seeds one 2-hour interview held on the live screen: a transcript of 2,500 lines (the
interviewer and the customer by turns, about 400 of the interviewer's questions of every
kind), 120 notes with solution requests, why-ladders and pains, the guide's questions ticked
as the call went. Then it measures

  report   the coach's report of that interview, computed as the background task does it
           (read the interview, measure, save the report in place of the old): the median and
           the slowest of five runs, in seconds;
  trend    the trend page of an interviewer with 200 reported interviews, through Django's
           full request handling: p50 and p95.

Each database gets a fresh database of its own (PostgreSQL: one created and dropped here).

    .venv/bin/python bench/coach.py            # both databases
    .venv/bin/python bench/coach.py --db sqlite

The last line is one JSON object: {"report_s": .., "trend_page_p95_ms": ..} for one database,
{"sqlite": {...}, "postgresql": {...}} for both. Targets: report under 2 s, trend page p95
under 150 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from support import fresh_database, run_step, time_page

TARGET_REPORT_S = 2.0
TARGET_TREND_P95_MS = 150.0
POSTGRES_DB = "heard_bench_coach"
SEGMENTS = 2500
NOTES = 120
TREND_INTERVIEWS = 200
REPORT_RUNS = 5
EMAIL = "coach-bench@example.org"

# What the interviewer says, by turns: questions of every kind, and plain talk between them.
ASKED = (
    "Tell me about the last time you closed the books.",
    "Walk me through what happened after the bank feed broke.",
    "Why was that a problem for you?",
    "How many people approve an invoice?",
    "Do you use a spreadsheet for that?",
    "Don't you think a tool would fix that?",
    "Would you pay for something that did it for you?",
    "We're building an app that approves invoices automatically. Would you use it?",
    "What tools do you use? And who uses them?",
    "How do you measure how late you are?",
)
TALK = (
    "Okay, that makes sense.",
    "Right, I see what you mean there.",
)
SAID = (
    "Every Monday morning goes to rebuilding the same six reports, and honestly nobody reads "
    "half of them until Wednesday, so we end up three days late on the close."
)


def seed() -> dict[str, str]:
    """Fill the database; return the addresses and the interview measured."""
    import datetime
    import uuid

    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.coach.models import CoachReport
    from heard.guides.models import Guide, Question, QuestionPriority, Section
    from heard.interviews.live.events import EventKind
    from heard.interviews.models import (
        Consent,
        Interview,
        InterviewStatus,
        LiveEvent,
        Note,
        NoteKind,
        Segment,
        SpeakerRole,
        TeamMember,
        TeamRole,
        Transcript,
        TranscriptSpeaker,
        TranscriptStatus,
    )
    from heard.participants.models import Participant
    from heard.studies.models import Study, ValidationPoint

    with transaction.atomic():
        user = User.objects.create_user(email=EMAIL, name="Dana Bench", password=None)
        workspace = Workspace.objects.create(name="Bench", slug="bench")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        study = Study.objects.create(workspace=workspace, title="Big study", goal="Measure.")
        points = [
            ValidationPoint.objects.create(study=study, statement=f"Point {n}", position=n)
            for n in range(8)
        ]
        guide = Guide.objects.create(study=study, title="Guide")
        questions = []
        for s in range(6):
            section = Section.objects.create(guide=guide, title=f"Section {s}", position=s)
            for q in range(5):
                question = Question.objects.create(
                    section=section,
                    text=f"Question {q} of section {s} about approvals and invoices?",
                    position=q,
                    minutes=3,
                    priority=QuestionPriority.MUST if q == 0 else QuestionPriority.SHOULD,
                )
                question.points.set([points[(s + q) % len(points)]])
                questions.append(question)
        started = timezone.now() - datetime.timedelta(days=1)
        person = Participant.objects.create(workspace=workspace, name="Bo Chen")
        interview = Interview.objects.create(
            study=study,
            participant=person,
            guide=guide,
            starts_at=started,
            started_at=started,
            ended_at=started + datetime.timedelta(hours=2),
            status=InterviewStatus.DONE,
            length_minutes=120,
            recording_consent=Consent.YES,
            consent_at=started + datetime.timedelta(seconds=20),
            intros_started_at=started + datetime.timedelta(seconds=40),
        )
        TeamMember.objects.create(interview=interview, user=user, role=TeamRole.INTERVIEWER)
        transcript = Transcript.objects.create(
            interview=interview, source="imported", status=TranscriptStatus.READY, created_by=user
        )
        team = TranscriptSpeaker.objects.create(
            interview=interview, label="Dana", role=SpeakerRole.TEAM, user=user
        )
        customer = TranscriptSpeaker.objects.create(
            interview=interview, label="Bo", role=SpeakerRole.PARTICIPANT
        )
        step = 7_200_000 // SEGMENTS
        lines = []
        for i in range(SEGMENTS):
            mine = i % 2 == 0
            turn = i // 2
            text = (ASKED[turn % len(ASKED)] if turn % 3 == 0 else TALK[turn % 2]) if mine else SAID
            lines.append(
                Segment(
                    transcript=transcript,
                    index=i,
                    start_ms=i * step,
                    end_ms=i * step + step - 300,
                    speaker=team if mine else customer,
                    text=text,
                    original_text=text,
                )
            )
        Segment.objects.bulk_create(lines, batch_size=500)
        notes = []
        for i in range(NOTES):
            kind = (NoteKind.SOLUTION_REQUEST, NoteKind.PAIN, NoteKind.KPI, NoteKind.NOTE)[i % 4]
            notes.append(
                Note(
                    id=uuid.uuid4(),
                    interview=interview,
                    author=user,
                    kind=kind,
                    text=f"Note {i}: {SAID[:80]}",
                    elapsed_seconds=i * 7200 // NOTES,
                    question=questions[i % len(questions)],
                )
            )
        Note.objects.bulk_create(notes)
        whys = [
            Note(
                id=uuid.uuid4(),
                interview=interview,
                author=user,
                kind=NoteKind.WHY,
                text="Because the approvals wait on the CFO.",
                elapsed_seconds=note.elapsed_seconds + 30,
                ladder_of=note,
            )
            for note in notes
            if note.kind == NoteKind.SOLUTION_REQUEST
        ]
        Note.objects.bulk_create(whys)
        LiveEvent.objects.bulk_create(
            LiveEvent(
                interview=interview,
                kind=EventKind.QUESTION,
                payload={"question": question.pk, "status": "answered"},
                actor=user,
            )
            for question in questions[:24]
        )
        # An interviewer with 200 reported interviews, for the trend page.
        others = []
        for n in range(TREND_INTERVIEWS):
            others.append(
                Interview(
                    study=study,
                    participant=person,
                    starts_at=started - datetime.timedelta(days=TREND_INTERVIEWS - n),
                    status=InterviewStatus.DONE,
                )
            )
        Interview.objects.bulk_create(others)
        TeamMember.objects.bulk_create(
            TeamMember(interview=other, user=user, role=TeamRole.INTERVIEWER) for other in others
        )
        now = timezone.now()
        CoachReport.objects.bulk_create(
            CoachReport(
                interview=other,
                interviewer=user,
                version=1,
                data={"parts": [], "advice": []},
                wanted_at=now,
                computed_from=now,
                computed_at=now,
                minutes=45.0,
                customer_share=0.5 + (n % 40) / 100,
                questions=30,
                leading=n % 4,
                hypothetical=n % 3,
                pitching=n % 2,
                leading_per_hour=(n % 4) * 1.3,
                hypothetical_per_hour=(n % 3) * 1.3,
                why_depth=(n % 5) / 2,
                must_missed=n % 3,
            )
            for n, other in enumerate(others)
        )
    return {
        "interview": str(interview.pk),
        "trend": reverse("coach:person", kwargs={"ws": workspace.slug, "user_pk": user.pk}),
    }


def measure(urls: dict[str, str]) -> dict[str, Any]:
    from django.test import Client

    from heard.accounts.models import User
    from heard.coach import services
    from heard.coach.models import CoachReport

    pk = int(urls["interview"])
    times = []
    for _ in range(REPORT_RUNS):
        services.want(pk)
        started = time.perf_counter()
        assert services.recompute(pk) == "computed"
        times.append(time.perf_counter() - started)
    report = CoachReport.objects.get(interview_id=pk)
    figures: dict[str, Any] = {
        "report_s": round(statistics.median(times), 3),
        "report_worst_s": round(max(times), 3),
        "questions": report.questions,
        "segments": SEGMENTS,
    }
    browser = Client()
    browser.force_login(User.objects.get(email=EMAIL))
    figures.update(time_page(browser, urls["trend"], "trend_page"))
    return figures


def child() -> None:
    import gc

    import django
    from django.core.management import call_command

    django.setup()
    gc.collect()
    gc.freeze()
    call_command("migrate", verbosity=0)
    print("RESULT " + json.dumps(measure(seed())), flush=True)


def run_db(db: str) -> dict[str, Any]:
    with fresh_database(db, POSTGRES_DB) as env:
        return run_step(__file__, ["--child"], env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    by_db = {db: run_db(db) for db in dbs}
    print(f"{SEGMENTS} transcript lines, {TREND_INTERVIEWS} interviews in the trend")
    print(f"{'figure':<22} {'db':<11} {'value':>9}  {'target':>8}  ratio")
    for db, figures in by_db.items():
        for label, key, target in (
            ("report s (median)", "report_s", TARGET_REPORT_S),
            ("report s (slowest)", "report_worst_s", TARGET_REPORT_S),
            ("trend page p50 ms", "trend_page_p50_ms", TARGET_TREND_P95_MS),
            ("trend page p95 ms", "trend_page_p95_ms", TARGET_TREND_P95_MS),
        ):
            ratio = figures[key] / target
            print(
                f"{label:<22} {db:<11} {figures[key]:>9.3f}  {target:>8.1f}  {ratio:.2f}"
                f"{'  OVER' if ratio > 1 else ''}"
            )
        print(
            f"{'':<22} {db:<11} {figures['questions']} questions found; page {figures['trend_page_kb']} KB"
        )
    keys = ("report_s", "trend_page_p95_ms")
    if len(by_db) == 1:
        print(json.dumps({key: next(iter(by_db.values()))[key] for key in keys}))
    else:
        print(
            json.dumps({db: {key: figures[key] for key in keys} for db, figures in by_db.items()})
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
