"""Server time of the plan pages on a big workspace, on SQLite and on PostgreSQL.

Seeds one workspace at ten times the size of a busy team's: 2,000 studies (each with four
validation points and a short guide), 50,000 participants (a fifth with a research note),
20,000 interviews (each with its interviewer, the 3,000 still to come with their checklist;
the first study holds 500 of them) and a 40-question guide. Then it requests every page of
the plan a user opens through Django's full request handling (middleware, view, template):
the workspace's home, the study list and a study's page, the participant directory (as it
opens, and a search) and a participant's page, the guide editor and its hard copy, the
interview list (upcoming and past) and an interview's page, the schedule form (as it opens,
and from a study's page) with the htmx answers of its participant picker, and an interview's
edit form. Each page is requested 60 times after 5 to warm up; p50 and p95 of its server
time are reported.

The floor of a page is the same SQL done the plainest way: the statements one request of the
page ran (captured with `CaptureQueriesContext`), executed bare through the driver's cursor
in the same process, each row fetched, timed the same way. "over floor" is the page's p95
over the floor's: what Django's request handling, the ORM and the templates add.

Each database runs in its own process, one after the other, on a fresh database.

    .venv/bin/python bench/plan_pages.py            # both databases
    .venv/bin/python bench/plan_pages.py --db sqlite

The last line is one JSON object: {"pages": {page: {db: {"p50_ms", "p95_ms", "floor_p95_ms",
"over_floor", "queries", "kb"}}}, "target_ms": 50, "within_target": true|false}.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support import fresh_env, run_step

TARGET_P95_MS = 50.0
REQUESTS = 60
WARMUP = 5
POSTGRES_DB = "heard_bench_plan"
STUDIES = 2_000
PARTICIPANTS = 50_000
INTERVIEWS = 20_000
# Every INTERVIEWS // BIG_STUDY_SHARE-th interview belongs to the first study: 500 in all.
BIG_STUDY_SHARE = 40
BATCH = 2_000


def seed() -> dict[str, str]:
    """Fill the database; return the URLs to measure."""
    import datetime

    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.guides.models import Guide, ProfileField, Question, Section
    from heard.interviews.models import ChecklistItem, Interview, TeamMember, TeamRole
    from heard.interviews.services import checklist_for
    from heard.participants.models import Participant, ResearchNote
    from heard.studies.models import Study, ValidationPoint

    with transaction.atomic():
        user = User.objects.create_user(email="bench@example.org", name="Bench", password=None)
        workspace = Workspace.objects.create(name="Bench", slug="bench")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        studies = Study.objects.bulk_create(
            (
                Study(workspace=workspace, title=f"Study {i:04d}", goal=f"Goal of study {i} " * 5)
                for i in range(STUDIES)
            ),
            batch_size=BATCH,
        )
        points = ValidationPoint.objects.bulk_create(
            (
                ValidationPoint(study=study, statement=f"Point {j} of {study.title}", position=j)
                for study in studies
                for j in range(4)
            ),
            batch_size=BATCH,
        )
        segments = ["SMB", "Mid-market", "Enterprise", "Public sector"]
        participants = Participant.objects.bulk_create(
            (
                Participant(
                    workspace=workspace,
                    name=f"Participant {i:05d}",
                    email=f"p{i}@company{i % 7000}.example",
                    company=f"Company {i % 7000}",
                    role="Head of Operations" if i % 3 else "Analyst",
                    segment=segments[i % 4],
                    profile={"team_size": str(i % 90)},
                )
                for i in range(PARTICIPANTS)
            ),
            batch_size=BATCH,
        )
        ResearchNote.objects.bulk_create(
            (
                ResearchNote(participant=p, source="Usage data", body="Generated many reports.")
                for p in participants[::5]
            ),
            batch_size=BATCH,
        )
        # Every study has a short guide; the first study's is the big one, 40 questions.
        small_guides = Guide.objects.bulk_create(
            (Guide(study=study, title=f"Guide of {study.title}") for study in studies[1:]),
            batch_size=BATCH,
        )
        small_sections = Section.objects.bulk_create(
            (Section(guide=guide, title="Their work", position=0) for guide in small_guides),
            batch_size=BATCH,
        )
        Question.objects.bulk_create(
            (
                Question(section=section, text=f"Question {q}: tell us about it?", position=q)
                for section in small_sections
                for q in range(3)
            ),
            batch_size=BATCH,
        )
        study = studies[0]
        guide = Guide.objects.create(study=study, title="Big guide")
        for k in range(5):
            ProfileField.objects.create(
                guide=guide, key=f"field_{k}", label=f"Field {k}", position=k
            )
        study_points = [p for p in points if p.study_id == study.pk]
        for s in range(8):
            section = Section.objects.create(guide=guide, title=f"Section {s}", position=s)
            for q in range(5):
                question = Question.objects.create(
                    section=section, text=f"Question {s}.{q}: tell us about it?", position=q
                )
                question.points.set(study_points[: (q % 3) + 1])
        # Every half hour for 10,000 hours: about 300 days past and 115 to come.
        start = timezone.now() - datetime.timedelta(days=300)
        interviews = Interview.objects.bulk_create(
            (
                Interview(
                    study=study if i % BIG_STUDY_SHARE == 0 else studies[i % STUDIES],
                    participant=participants[i],
                    guide=guide if i % BIG_STUDY_SHARE == 0 else None,
                    starts_at=start + datetime.timedelta(minutes=30 * i),
                    time_zone="Europe/Berlin",
                )
                for i in range(INTERVIEWS)
            ),
            batch_size=BATCH,
        )
        TeamMember.objects.bulk_create(
            (
                TeamMember(interview=interview, user=user, role=TeamRole.INTERVIEWER)
                for interview in interviews
            ),
            batch_size=BATCH,
        )
        to_come = [i for i in interviews if i.starts_at > timezone.now()]
        ChecklistItem.objects.bulk_create(
            (
                ChecklistItem(
                    interview=interview,
                    text=text,
                    position=position,
                    done_at=timezone.now() if position % 2 else None,
                )
                for interview in to_come
                for position, text in enumerate(checklist_for(interview.mode))
            ),
            batch_size=BATCH,
        )
    ws = workspace.slug
    interview = next(i for i in to_come if i.guide_id == guide.pk)
    person = participants[next(n for n, i in enumerate(interviews) if i.pk == interview.pk)]
    form = reverse("interviews:create", args=[ws])
    picker = reverse("participants:picker", args=[ws]) + "?name=participant&participant_q="
    return {
        "workspace home": reverse("site:workspace", args=[ws]),
        "study list": reverse("studies:list", args=[ws]),
        "study page": reverse("studies:detail", args=[ws, study.pk]),
        "participant list": reverse("participants:list", args=[ws]),
        "participant search": reverse("participants:list", args=[ws]) + "?q=company%2012",
        "participant page": reverse("participants:detail", args=[ws, person.pk]),
        "guide editor": reverse("guides:detail", args=[ws, guide.pk]),
        "guide hard copy": reverse("guides:print", args=[ws, guide.pk]),
        "interview list": reverse("interviews:list", args=[ws]),
        "interview list, past": reverse("interviews:list", args=[ws]) + "?view=past",
        "interview page": reverse("interviews:detail", args=[ws, interview.pk]),
        "schedule form": form,
        "schedule form, a study": f"{form}?study={study.pk}",
        "picker, a few found": picker + "company+6999",
        "picker, more than listed": picker + "participant",
        "picker, nobody found": picker + "zebra",
        "interview edit form": reverse("interviews:edit", args=[ws, interview.pk]),
    }


def timed(run: Callable[[], Any]) -> tuple[float, float]:
    """p50 and p95 in ms of `run`, called REQUESTS times after WARMUP calls."""
    for _ in range(WARMUP):
        run()
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return round(statistics.median(times), 2), round(times[int(len(times) * 0.95) - 1], 2)


def measure(urls: dict[str, str]) -> dict[str, dict[str, float]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from heard.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="bench@example.org"))
    results = {}
    for page, url in urls.items():
        headers = {"HX-Request": "true"} if page.startswith("picker") else {}

        def request(url: str = url, headers: dict[str, str] = headers) -> Any:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)
            return response

        response = request()
        with CaptureQueriesContext(connection) as captured:
            request()
        statements = [query["sql"] for query in captured.captured_queries]
        p50, p95 = timed(request)

        def floor(statements: list[str] = statements, raw: Any = connection.connection) -> None:
            cursor = raw.cursor()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            cursor.close()

        _, floor_p95 = timed(floor)
        results[page] = {
            "p50_ms": p50,
            "p95_ms": p95,
            "floor_p95_ms": floor_p95,
            "over_floor": round(p95 / floor_p95, 1) if floor_p95 else 0.0,
            "queries": len(statements),
            "kb": round(len(response.content) / 1024, 1),
        }
    return results


def child(db: str) -> None:
    """Runs in a fresh process with the environment for one database."""
    import django
    from django.core.management import call_command

    django.setup()
    # As `heard serve` does once it has loaded (heard/asgi.py): what is loaded by now stays
    # out of the garbage collector's scans.
    gc.collect()
    gc.freeze()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    urls = seed()
    # Fresh statistics for PostgreSQL's planner, as autovacuum keeps them on a database that
    # grew by use rather than by one bulk load (SQLite keeps none unless asked, and Heard
    # does not ask).
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = round(time.perf_counter() - started, 1)
    print("RESULT " + json.dumps({"seed_s": seconds, "pages": measure(urls)}), flush=True)


def run_child(db: str) -> dict[str, Any]:
    figures: dict[str, Any] = run_step(__file__, ["--child", db], fresh_env(db, POSTGRES_DB))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    by_db = {db: run_child(db) for db in dbs}
    pages: dict[str, dict[str, dict[str, float]]] = {}
    print(
        f"{STUDIES:,} studies, {PARTICIPANTS:,} participants, {INTERVIEWS:,} interviews; "
        f"{REQUESTS} requests a page; seeded in "
        + ", ".join(f"{figures['seed_s']} s ({db})" for db, figures in by_db.items())
    )
    print(
        f"{'page':<26} {'db':<11} {'p50 ms':>7} {'p95 ms':>7} {'floor':>6} {'/ floor':>8} "
        f"{'queries':>7} {'KB':>6}  p95 / {TARGET_P95_MS:.0f} ms target"
    )
    for db, figures in by_db.items():
        for page, row in figures["pages"].items():
            pages.setdefault(page, {})[db] = row
            ratio = row["p95_ms"] / TARGET_P95_MS
            print(
                f"{page:<26} {db:<11} {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} "
                f"{row['floor_p95_ms']:>6.1f} {row['over_floor']:>8.1f} {row['queries']:>7} "
                f"{row['kb']:>6.1f}  {ratio:.2f}{'  OVER' if ratio > 1 else ''}"
            )
    within = all(row["p95_ms"] < TARGET_P95_MS for rows in pages.values() for row in rows.values())
    print(json.dumps({"pages": pages, "target_ms": TARGET_P95_MS, "within_target": within}))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
