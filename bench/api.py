"""The API's list endpoints on a big workspace, on SQLite and on PostgreSQL.

Seeds one workspace of 5,000 participants and 2,000 held interviews in 20 studies, each with
a transcript of 500 lines (1 million lines in all), 20 notes (40,000) and a summary of four
validation points; then asks the API for pages of 100 through Django's full request handling
(middleware, the token's check and count, the operation, the JSON), as a script holding a
token does, and measures each endpoint's server time:

  studies         the study list
  participants    the directory's first page, and a page 40 pages deep by cursor
  interviews      a study's interviews
  notes           a study's notes
  segments        a transcript's lines, a page 4 pages deep by cursor
  matrix          a study's matrix (its totals and a page of 100 rows)
  sync            a full sync of a study's notes by updated_since: every page, in order, as a
                  copy kept in step reads them (its pages' p95, and the whole sync's time)

Each endpoint is asked 40 times after 5 to warm up. Each database runs in its own process,
one after the other, on a fresh database.

    .venv/bin/python bench/api.py                 # both databases
    .venv/bin/python bench/api.py --db sqlite --interviews 200

The last line is one JSON object: {"sqlite": {endpoint: {"p50_ms", "p95_ms"}, ...,
"sync_s": ..}, "postgresql": {...}, "target_ms": 50}. Target: p95 under 50 ms per page.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import random
import statistics
import time
from typing import Any

from support import fresh_database, run_step

TARGET_P95_MS = 50.0
REQUESTS = 40
WARMUP = 5
POSTGRES_DB = "heard_bench_api"
PARTICIPANTS = 5_000
STUDIES = 20
LINES = 500
NOTES = 20
EMAIL = "api-bench@example.org"
WORDS = [
    "report",
    "monday",
    "export",
    "spreadsheet",
    "board",
    "client",
    "hours",
    "template",
    "schedule",
    "trust",
    "review",
    "numbers",
    "campaign",
    "finance",
    "team",
    "weekly",
    "chart",
    "month",
    "close",
    "manual",
    "copy",
    "paste",
    "dashboard",
]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16))).capitalize() + "."


def seed(interviews: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.api import tokens
    from heard.interviews.models import (
        Interview,
        InterviewStatus,
        Note,
        NoteKind,
        Segment,
        SpeakerRole,
        TeamMember,
        TeamRole,
        Transcript,
        TranscriptSource,
        TranscriptSpeaker,
        TranscriptStatus,
    )
    from heard.participants.models import Participant
    from heard.studies.models import Study, ValidationPoint
    from heard.synthesis.models import PointSummary, Stance, Summary

    rng = random.Random(17)
    with transaction.atomic():
        user = User.objects.create_user(email=EMAIL, name="Ari Bench", password=None)
        workspace = Workspace.objects.create(name="Bench", slug="bench")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        studies = [
            Study.objects.create(workspace=workspace, title=f"Study {n}", goal="Learn.")
            for n in range(STUDIES)
        ]
        points = {
            study.pk: [
                ValidationPoint.objects.create(study=study, statement=f"Point {k}", position=k)
                for k in range(4)
            ]
            for study in studies
        }
        people = Participant.objects.bulk_create(
            Participant(
                workspace=workspace,
                name=f"Person {n}",
                email=f"person{n}@client{n % 700}.example",
                company=f"Company {n % 700}",
                segment=("SMB", "Mid-market", "Enterprise")[n % 3],
                alias=n + 1,
            )
            for n in range(PARTICIPANTS)
        )
    start = timezone.now() - datetime.timedelta(days=interviews)
    kinds = [NoteKind.NOTE, NoteKind.PAIN, NoteKind.QUOTE, NoteKind.KPI]
    transcript_ids = []
    for n in range(interviews):
        with transaction.atomic():
            study = studies[n % STUDIES]
            interview = Interview.objects.create(
                study=study,
                participant=people[n % PARTICIPANTS],
                starts_at=start + datetime.timedelta(days=n),
                status=InterviewStatus.DONE,
            )
            TeamMember.objects.create(interview=interview, user=user, role=TeamRole.INTERVIEWER)
            transcript = Transcript.objects.create(
                interview=interview,
                source=TranscriptSource.IMPORTED,
                status=TranscriptStatus.READY,
                language="en",
            )
            transcript_ids.append((interview.pk, transcript.pk))
            us = TranscriptSpeaker.objects.create(
                interview=interview, label="Channel 1", role=SpeakerRole.TEAM, user=user
            )
            them = TranscriptSpeaker.objects.create(
                interview=interview, label="Channel 2", role=SpeakerRole.PARTICIPANT
            )
            Segment.objects.bulk_create(
                (
                    Segment(
                        transcript=transcript,
                        index=i,
                        start_ms=i * 7000,
                        end_ms=i * 7000 + 6500,
                        speaker=us if i % 2 == 0 else them,
                        text=(text := sentence(rng)),
                        original_text=text,
                    )
                    for i in range(LINES)
                ),
                batch_size=LINES,
            )
            Note.objects.bulk_create(
                Note(
                    interview=interview,
                    author=user,
                    kind=kinds[k % len(kinds)],
                    text=sentence(rng),
                    elapsed_seconds=k * 120,
                )
                for k in range(NOTES)
            )
            summary = Summary.objects.create(interview=interview, author=user)
            PointSummary.objects.bulk_create(
                PointSummary(
                    summary=summary,
                    point=point,
                    stance=rng.choice([Stance.SUPPORTS, Stance.CONTRADICTS, Stance.MIXED]),
                    what_we_heard=sentence(rng),
                )
                for point in points[study.pk]
            )
    secret = tokens.create(workspace, user, name="Bench").secret
    return {
        "secret": secret,
        "study": studies[0].pk,
        "transcript": transcript_ids[len(transcript_ids) // 2],
    }


def measure(seeded: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum gives a real database
    client = Client(headers={"Authorization": f"Bearer {seeded['secret']}"})

    def get(path: str, **params: Any) -> dict[str, Any]:
        response = client.get(f"/api/v1/{path}", params)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return response.json()

    def cursor_at(path: str, pages: int, **params: Any) -> str:
        cursor = None
        for _ in range(pages):
            cursor = get(path, **params, **({"cursor": cursor} if cursor else {}))["next_cursor"]
        assert cursor is not None
        return cursor

    study = seeded["study"]
    interview, transcript = seeded["transcript"]
    segments = f"interviews/{interview}/transcripts/{transcript}/segments"
    endpoints: dict[str, tuple[str, dict[str, Any]]] = {
        "studies": ("studies", {}),
        "participants": ("participants", {}),
        "participants, page 40": ("participants", {"cursor": cursor_at("participants", 40)}),
        "interviews of a study": ("interviews", {"study": study}),
        "notes of a study": ("notes", {"study": study}),
        "segments, page 4": (segments, {"cursor": cursor_at(segments, 4)}),
        "matrix": (f"studies/{study}/matrix", {}),
    }
    figures: dict[str, Any] = {}
    for name, (path, params) in endpoints.items():
        for _ in range(WARMUP):
            get(path, **params)
        times = []
        for _ in range(REQUESTS):
            began = time.perf_counter()
            get(path, **params)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        figures[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        }
    # A full sync of a study's notes, as a copy kept in step reads it the first time.
    since = "2000-01-01T00:00:00Z"
    pages: list[float] = []
    notes = 0
    began = time.perf_counter()
    cursor = None
    while True:
        one = time.perf_counter()
        found = get(
            "notes", study=study, updated_since=since, **({"cursor": cursor} if cursor else {})
        )
        pages.append((time.perf_counter() - one) * 1000)
        notes += len(found["items"])
        cursor = found["next_cursor"]
        if cursor is None:
            break
    sync_s = time.perf_counter() - began
    pages.sort()
    figures["sync pages"] = {
        "p50_ms": round(statistics.median(pages), 1),
        "p95_ms": round(pages[max(int(len(pages) * 0.95) - 1, 0)], 1),
    }
    figures["sync_s"] = round(sync_s, 2)
    figures["sync_notes"] = notes
    return figures


def child(interviews: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    gc.collect()
    gc.freeze()  # as `heard serve` does
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    seeded = seed(interviews)
    figures = measure(seeded)
    figures["seed_s"] = round(time.perf_counter() - began, 1)
    print("RESULT " + json.dumps(figures), flush=True)


def run_db(db: str, interviews: int) -> dict[str, Any]:
    with fresh_database(db, POSTGRES_DB, HEARD_API_REQUESTS_PER_MINUTE="1000000") as env:
        return run_step(__file__, ["--child", "--interviews", str(interviews)], env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--interviews", type=int, default=2000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.interviews)
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    by_db = {db: run_db(db, args.interviews) for db in dbs}
    print(
        f"{PARTICIPANTS:,} participants, {args.interviews:,} interviews of {LINES} lines and "
        f"{NOTES} notes; pages of 100; {REQUESTS} requests each"
    )
    print(f"{'endpoint':<24} {'db':<11} {'p50 ms':>8} {'p95 ms':>8}  {'target':>6}  ratio")
    names = [k for k, v in next(iter(by_db.values())).items() if isinstance(v, dict)]
    for name in names:
        for db, figures in by_db.items():
            p50, p95 = figures[name]["p50_ms"], figures[name]["p95_ms"]
            ratio = p95 / TARGET_P95_MS
            print(
                f"{name:<24} {db:<11} {p50:>8.1f} {p95:>8.1f}  {TARGET_P95_MS:>6.0f}  {ratio:.2f}"
                f"{'  OVER' if ratio > 1 else ''}"
            )
    for db, figures in by_db.items():
        print(
            f"{db}: a full sync of a study's {figures['sync_notes']:,} notes took "
            f"{figures['sync_s']} s; seeded and measured in {figures['seed_s']} s"
        )
    print(json.dumps({**by_db, "target_ms": TARGET_P95_MS}))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
