"""Search on a big workspace, on SQLite and on PostgreSQL.

Seeds a workspace of 1,000 held interviews, each with a one-hour transcript of 1,000 lines
(about 1 million lines in all, the interviewer and the customer by turns, in words of a
Zipf-like vocabulary with very common and very rare words) and 50 notes (50,000), in 20
studies, then builds the search index as `heard manage search_index` does, and measures

  index    the index of the whole workspace built from nothing, in seconds;
  one hour one interview's entries (a one-hour transcript and its notes) made again, as
           after a transcription: the median of five runs, in seconds;
  queries  a fixed mix of 200 searches (single words, phrases, filters, prefixes, rare and
           very common words) through Django's full request handling, as a signed-in
           researcher opens the search page: p50 and p95 in ms;
  size     the database on disk (SQLite's file, PostgreSQL's database), in MB.

Each database gets a fresh database of its own (PostgreSQL: one created and dropped here).

    .venv/bin/python bench/search.py                 # both databases
    .venv/bin/python bench/search.py --db sqlite --interviews 100

The last line is one JSON object: {"sqlite": {"p50_ms":.., "p95_ms":.., "index_build_s":..,
"db_mb":..}, "postgresql": {...}}. Targets: p95 under 100 ms; a one-hour transcript indexed
in under 1 s.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from support import fresh_database, run_step

TARGET_P95_MS = 100.0
TARGET_ONE_HOUR_S = 1.0
POSTGRES_DB = "heard_bench_search"
LINES = 1000  # a one-hour call
NOTES = 50
STUDIES = 20
QUERIES = 200
EMAIL = "search-bench@example.org"

COMMON = [
    "the",
    "we",
    "and",
    "to",
    "a",
    "of",
    "it",
    "that",
    "is",
    "i",
    "you",
    "in",
    "so",
    "for",
    "our",
    "they",
    "but",
    "with",
    "on",
    "this",
    "was",
    "have",
    "what",
    "do",
    "just",
    "like",
    "be",
    "at",
    "not",
    "are",
    "my",
    "can",
    "one",
    "all",
    "how",
    "when",
    "there",
    "if",
    "then",
    "more",
    "about",
]
TOPICAL = [
    "invoice",
    "invoices",
    "approvals",
    "approval",
    "pricing",
    "seat",
    "seats",
    "export",
    "exports",
    "report",
    "reports",
    "spreadsheet",
    "excel",
    "reconcile",
    "reconciling",
    "month",
    "monthly",
    "quarter",
    "close",
    "closing",
    "books",
    "bank",
    "feed",
    "ledger",
    "integration",
    "slack",
    "teams",
    "budget",
    "cost",
    "costs",
    "customer",
    "customers",
    "onboarding",
    "dashboard",
    "manager",
    "team",
    "finance",
    "accountant",
    "audit",
    "payroll",
    "vendor",
    "contract",
    "renewal",
    "churn",
    "discount",
    "trial",
    "login",
    "password",
    "permissions",
    "workflow",
    "email",
    "deadline",
    "late",
    "hours",
    "week",
    "weekly",
]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float], list[str]]:
    """Words with cumulative weights (Zipf-like: a few very common, a long tail of rare
    ones), and the rare tail alone."""
    letters = "abcdefghiklmnoprstuvwyz"
    made = sorted({"".join(rng.choices(letters, k=rng.randint(5, 10))) for _ in range(6000)})
    words = COMMON + TOPICAL + made
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(words))))
    return words, weights, made[-2000:]


def sentence(rng: random.Random, words: list[str], weights: list[float]) -> str:
    total = weights[-1]
    count = rng.randint(6, 22)
    picked = [words[bisect.bisect(weights, rng.random() * total)] for _ in range(count)]
    return (" ".join(picked).capitalize() + ".")[:400]


def seed(interviews: int) -> dict[str, Any]:
    import datetime
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.guides.models import Guide
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
    from heard.studies.models import Study

    rng = random.Random(14)
    words, weights, rare = vocabulary(rng)
    kinds = [NoteKind.NOTE, NoteKind.PAIN, NoteKind.QUOTE, NoteKind.KPI, NoteKind.SOLUTION_REQUEST]
    with transaction.atomic():
        user = User.objects.create_user(email=EMAIL, name="Dana Bench", password=None)
        workspace = Workspace.objects.create(name="Bench", slug="bench", transcript_language="en")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        studies = [
            Study.objects.create(workspace=workspace, title=f"Study {n}", goal="Learn.")
            for n in range(STUDIES)
        ]
        guides = {study.pk: Guide.objects.create(study=study, title="Guide") for study in studies}
    start = timezone.now() - datetime.timedelta(days=interviews)
    for n in range(interviews):
        with transaction.atomic():
            study = studies[n % STUDIES]
            person = Participant.objects.create(
                workspace=workspace,
                name=f"Person {n}",
                company=f"Company {n % 300}",
                segment=("SMB", "Mid-market", "Enterprise")[n % 3],
            )
            interview = Interview.objects.create(
                study=study,
                participant=person,
                guide=guides[study.pk],
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
            us = TranscriptSpeaker.objects.create(
                interview=interview, label="Channel 1", role=SpeakerRole.TEAM, user=user
            )
            them = TranscriptSpeaker.objects.create(
                interview=interview, label="Channel 2", role=SpeakerRole.PARTICIPANT
            )
            lines = []
            for i in range(LINES):
                text = sentence(rng, words, weights)
                lines.append(
                    Segment(
                        transcript=transcript,
                        index=i,
                        start_ms=i * 3600,
                        end_ms=i * 3600 + 3400,
                        speaker=us if i % 2 == 0 else them,
                        text=text,
                        original_text=text,
                    )
                )
            Segment.objects.bulk_create(lines, batch_size=1000)
            Note.objects.bulk_create(
                Note(
                    id=uuid.UUID(int=rng.getrandbits(128)),
                    interview=interview,
                    author=user,
                    kind=kinds[k % len(kinds)],
                    text=sentence(rng, words, weights),
                    elapsed_seconds=k * 70,
                )
                for k in range(NOTES)
            )
    return {"workspace": workspace.pk, "rare": rare, "words": words}


def query_mix(words: list[str], rare: list[str], studies: int) -> list[str]:
    """The 200 searches, the same every run."""
    rng = random.Random(200)
    middle = words[len(COMMON) : len(COMMON) + 400]
    mix: list[str] = []
    mix += rng.sample(middle, 50)  # single words of middling frequency
    mix += [
        f'"{a} {b}"' for a, b in zip(rng.sample(COMMON, 30), rng.sample(TOPICAL, 30), strict=True)
    ]
    filters = [
        "kind:segment",
        "speaker:customer",
        "kind:pain",
        "after:2026-06-01",
        "segment:SMB",
        "-kind:note",
    ]
    mix += [f"{rng.choice(TOPICAL)} {rng.choice(filters)}" for _ in range(25)]
    mix += [f'{rng.choice(TOPICAL)} study:"Study {rng.randrange(studies)}"' for _ in range(15)]
    mix += rng.sample(rare, 30)  # in a handful of lines each
    mix += [rng.choice(COMMON[:15]) for _ in range(20)]  # in most lines
    mix += [f"{rng.choice(COMMON)} {rng.choice(COMMON)}" for _ in range(10)]
    mix += [rng.choice(TOPICAL)[:4] + "*" for _ in range(20)]
    assert len(mix) == QUERIES
    return mix


def database_mb() -> float:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return round(cursor.fetchone()[0] / 1e6, 1)
    name = Path(connection.settings_dict["NAME"])
    files = [name, name.with_name(name.name + "-wal")]
    return round(sum(f.stat().st_size for f in files if f.exists()) / 1e6, 1)


def measure(seeded: dict[str, Any], interviews: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from heard.accounts.models import User, Workspace
    from heard.interviews.models import Interview
    from heard.search import keeping
    from heard.search.models import Entry

    workspace = Workspace.objects.get(pk=seeded["workspace"])
    started = time.perf_counter()
    entries = keeping.rebuild(workspace)
    index_build_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_entry")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    one = Interview.objects.filter(study__workspace=workspace).order_by("pk")[interviews // 2]
    hour = []
    for _ in range(5):
        began = time.perf_counter()
        keeping.interviews([one.pk])
        hour.append(time.perf_counter() - began)
    browser = Client()
    browser.force_login(User.objects.get(email=EMAIL))
    page = reverse("search:page", kwargs={"ws": workspace.slug})
    mix = query_mix(seeded["words"], seeded["rare"], STUDIES)
    for text in mix[:5]:  # warm up
        browser.get(page, {"q": text})
    times = []
    slowest: list[tuple[float, str]] = []
    for text in mix:
        began = time.perf_counter()
        response = browser.get(page, {"q": text})
        took = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, text
        times.append(took)
        slowest.append((took, text))
    times.sort()
    slowest.sort(reverse=True)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
        "index_build_s": round(index_build_s, 1),
        "one_hour_s": round(statistics.median(hour), 3),
        "db_mb": database_mb(),
        "entries": entries,
        "segments": Entry.objects.filter(kind="segment").count(),
        "slowest": [f"{took:.0f} ms {text}" for took, text in slowest[:5]],
    }


def child(interviews: int) -> None:
    import gc

    import django
    from django.core.management import call_command

    django.setup()
    gc.collect()
    gc.freeze()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    seeded = seed(interviews)
    seeded_s = time.perf_counter() - began
    figures = measure(seeded, interviews)
    figures["seed_s"] = round(seeded_s, 1)
    print("RESULT " + json.dumps(figures), flush=True)


def run_db(db: str, interviews: int) -> dict[str, Any]:
    with fresh_database(db, POSTGRES_DB, HEARD_LOG_LEVEL="ERROR") as env:
        return run_step(__file__, ["--child", "--interviews", str(interviews)], env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.interviews)
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    by_db = {db: run_db(db, args.interviews) for db in dbs}
    print(f"{args.interviews} interviews of {LINES} lines and {NOTES} notes; {QUERIES} searches")
    print(f"{'figure':<26} {'db':<11} {'value':>9}  {'target':>8}  ratio")
    for db, figures in by_db.items():
        for label, key, target in (
            ("search p50 ms", "p50_ms", TARGET_P95_MS),
            ("search p95 ms", "p95_ms", TARGET_P95_MS),
            ("one-hour transcript s", "one_hour_s", TARGET_ONE_HOUR_S),
        ):
            ratio = figures[key] / target
            print(
                f"{label:<26} {db:<11} {figures[key]:>9.3f}  {target:>8.1f}  {ratio:.2f}"
                f"{'  OVER' if ratio > 1 else ''}"
            )
        print(
            f"{'':<26} {db:<11} index of {figures['entries']:,} entries built in "
            f"{figures['index_build_s']} s; database {figures['db_mb']} MB; seeded in "
            f"{figures['seed_s']} s; slowest: {'; '.join(figures['slowest'][:3])}"
        )
    keys = ("p50_ms", "p95_ms", "index_build_s", "db_mb")
    print(json.dumps({db: {key: figures[key] for key in keys} for db, figures in by_db.items()}))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
