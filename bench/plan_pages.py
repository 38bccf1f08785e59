"""Server time of the plan pages on a big workspace, on SQLite and on PostgreSQL.

Seeds 200 studies, 5,000 participants and 2,000 interviews (and a 40-question guide), then
requests each page through Django's full request handling (middleware, view, template) and
reports p50 and p95. Each database runs in its own process, side by side in one run.

    .venv/bin/python bench/plan_pages.py            # both databases
    .venv/bin/python bench/plan_pages.py --db sqlite

The last line is one JSON object: {"pages": {page: {db: {"p50_ms": .., "p95_ms": ..}}}}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from support import fresh_env, run_step

TARGET_P95_MS = 100.0
REQUESTS = 60
WARMUP = 5
POSTGRES_DB = "heard_bench"


def seed() -> dict[str, str]:
    """Fill the database; return the URLs to measure."""
    import datetime

    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.guides.models import Guide, ProfileField, Question, Section
    from heard.interviews.models import Interview, TeamMember, TeamRole
    from heard.interviews.services import apply_checklist
    from heard.participants.models import Participant, ResearchNote
    from heard.studies.models import Study, ValidationPoint

    with transaction.atomic():
        user = User.objects.create_user(email="bench@example.org", name="Bench", password=None)
        workspace = Workspace.objects.create(name="Bench", slug="bench")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        studies = Study.objects.bulk_create(
            Study(workspace=workspace, title=f"Study {i}", goal=f"Goal of study {i} " * 5)
            for i in range(200)
        )
        points = ValidationPoint.objects.bulk_create(
            ValidationPoint(study=study, statement=f"Point {j} of {study.title}", position=j)
            for study in studies
            for j in range(4)
        )
        segments = ["SMB", "Mid-market", "Enterprise", "Public sector"]
        participants = Participant.objects.bulk_create(
            Participant(
                workspace=workspace,
                name=f"Participant {i:05d}",
                email=f"p{i}@company{i % 700}.example",
                company=f"Company {i % 700}",
                role="Head of Operations" if i % 3 else "Analyst",
                segment=segments[i % 4],
                profile={"team_size": str(i % 90)},
            )
            for i in range(5000)
        )
        ResearchNote.objects.bulk_create(
            ResearchNote(participant=p, source="Usage data", body="Generated many reports.")
            for p in participants[::5]
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
        start = timezone.now() - datetime.timedelta(days=300)
        interviews = Interview.objects.bulk_create(
            Interview(
                study=studies[i % 200],
                participant=participants[i],
                guide=guide if i % 200 == 0 else None,
                starts_at=start + datetime.timedelta(hours=5 * i),
                time_zone="Europe/Berlin",
            )
            for i in range(2000)
        )
        TeamMember.objects.bulk_create(
            TeamMember(interview=interview, user=user, role=TeamRole.INTERVIEWER)
            for interview in interviews
        )
        for interview in interviews[-300:]:
            apply_checklist(interview)
    ws = workspace.slug
    return {
        "study list": reverse("studies:list", args=[ws]),
        "participant list": reverse("participants:list", args=[ws]),
        "participant search": reverse("participants:list", args=[ws]) + "?q=company%2012",
        "guide editor": reverse("guides:detail", args=[ws, guide.pk]),
        "interview list": reverse("interviews:list", args=[ws]),
    }


def measure(urls: dict[str, str]) -> dict[str, dict[str, float]]:
    from django.test import Client

    from heard.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="bench@example.org"))
    results = {}
    for page, url in urls.items():
        for _ in range(WARMUP):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        results[page] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        }
    return results


def child(db: str) -> None:
    """Runs in a fresh process with the environment for one database."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    urls = seed()
    print("RESULT " + json.dumps(measure(urls)), flush=True)


def run_child(db: str) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = run_step(
        __file__, ["--child", db], fresh_env(db, POSTGRES_DB)
    )
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
        f"{'page':<20} {'db':<11} {'p50 ms':>8} {'p95 ms':>8}  p95 / {TARGET_P95_MS:.0f} ms target"
    )
    for db, results in by_db.items():
        for page, figures in results.items():
            pages.setdefault(page, {})[db] = figures
            ratio = figures["p95_ms"] / TARGET_P95_MS
            print(
                f"{page:<20} {db:<11} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}  "
                f"{ratio:.2f}{'  OVER' if ratio > 1 else ''}"
            )
    print(json.dumps({"pages": pages}))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
