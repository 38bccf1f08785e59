"""The synthesis matrix and its XLSX export on a big study, on SQLite and on PostgreSQL.

Seeds one study of 300 finished interviews by 20 validation points, every interview with its
summary: a stance and a "What we heard" per point, and two or three quotes per cell (each
with its note), about 15,000 quotes in all. Then it measures

  matrix   the matrix page as a person gets it (the first page of rows, default filters),
           through Django's full request handling (middleware, view, template): p50 and p95;
  xlsx     the XLSX download through the same request handling, read to its last byte, in a
           fresh process that has served one page before: the time it takes (the median of
           three downloads, the first the process makes among them) and that process's peak
           resident memory (VmHWM), which includes Django itself (its figure before the
           export is printed beside it);
  floor    in the same process, after the downloads, the same cells (read back from the
           downloaded file: values, sheets, formats, links, widths, heights) written by the
           library Heard writes with, XlsxWriter, alone, and by openpyxl's write-only mode,
           for comparison, each three times, taking turns (`xlsx_floor.py`): the median time
           of each, and the memory each adds at its peak to what the process held before it
           began. Heard's time over XlsxWriter's is what Heard's own work adds to the writing.

Both run in processes set up as `heard serve` sets up its own (the objects loaded at start
kept out of the garbage collector's scans).

Each database gets a fresh database of its own (PostgreSQL: one created and dropped here).

    .venv/bin/python bench/synthesis.py            # both databases
    .venv/bin/python bench/synthesis.py --db sqlite

The last line is one JSON object:
{"sqlite": {"matrix_p95_ms": .., "matrix_query_share": .., "xlsx_s": .., "xlsx_peak_rss_mb": ..,
"xlsx_floor_s": .., "xlsx_over_floor": .., "xlsx_openpyxl_floor_s": ..}, "postgresql": {...}};
`matrix_query_share` is the part of a page's time its queries take, `xlsx_over_floor` Heard's
XLSX time over XlsxWriter's floor.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import xlsx_floor
from support import fresh_database, peak_rss_mb, run_step, time_page

TARGET_MATRIX_P95_MS = 150.0
TARGET_XLSX_S = 2.0
TARGET_XLSX_RSS_MB = 200.0
TARGET_XLSX_OVER_FLOOR = 1.3
XLSX_RUNS = 3
INTERVIEWS = 300
POINTS = 20
REQUESTS = 30
WARMUP = 3
POSTGRES_DB = "heard_bench_synthesis"
EMAIL = "bench@example.org"

HEARD = (
    "They rebuild the same reports by hand every week and want that time back; the pain is "
    "real, measured in hours, and they tie it to a goal for the year. Backs the point, with a "
    "caveat about who reviews what goes out."
)
SAID = (
    "Every Monday morning goes to rebuilding the same six reports, and honestly nobody reads "
    "half of them until Wednesday.",
    "I would never send the board anything I have not looked at twice — but the weekly digest "
    "could go out on its own.",
    "We track it as hours per campaign report; it is about three hours today and I want it "
    "under one.",
)


def seed() -> dict[str, str]:
    """Fill the database; return the addresses to measure."""
    import datetime
    import uuid

    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.interviews.models import (
        Interview,
        InterviewStatus,
        Note,
        NoteKind,
        TeamMember,
        TeamRole,
    )
    from heard.participants.models import Participant
    from heard.studies.models import Study, ValidationPoint
    from heard.synthesis.models import Bearing, PointSummary, Quote, Stance, Summary

    stances = [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.MIXED, Stance.SILENT, Stance.UNSET]
    segments = ["SMB", "Mid-market", "Enterprise", "Public sector"]
    with transaction.atomic():
        user = User.objects.create_user(email=EMAIL, name="Bench", password=None)
        other = User.objects.create_user(email="second@example.org", name="Second", password=None)
        workspace = Workspace.objects.create(name="Bench", slug="bench")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        Membership.objects.create(workspace=workspace, user=other, role=Role.RESEARCHER)
        study = Study.objects.create(workspace=workspace, title="Big study", goal="Measure.")
        points = ValidationPoint.objects.bulk_create(
            ValidationPoint(
                study=study,
                statement=f"Point {j}: small teams would pay to stop rebuilding reports by hand",
                position=j,
            )
            for j in range(POINTS)
        )
        people = Participant.objects.bulk_create(
            Participant(
                workspace=workspace,
                name=f"Participant {i:03d}",
                company=f"Company {i % 120}",
                segment=segments[i % 4],
            )
            for i in range(INTERVIEWS)
        )
        start = timezone.now() - datetime.timedelta(days=400)
        interviews = Interview.objects.bulk_create(
            Interview(
                study=study,
                participant=person,
                starts_at=start + datetime.timedelta(hours=30 * i),
                started_at=start + datetime.timedelta(hours=30 * i),
                time_zone="Europe/Berlin",
                status=InterviewStatus.DONE,
            )
            for i, person in enumerate(people)
        )
        TeamMember.objects.bulk_create(
            TeamMember(interview=iv, user=user if i % 2 else other, role=TeamRole.INTERVIEWER)
            for i, iv in enumerate(interviews)
        )
        summaries = Summary.objects.bulk_create(
            Summary(interview=iv, author=user, main_pains="Reports.") for iv in interviews
        )
        cells = PointSummary.objects.bulk_create(
            PointSummary(
                summary=summary,
                point=point,
                stance=stances[(i + j) % 5],
                what_we_heard=HEARD,
            )
            for i, summary in enumerate(summaries)
            for j, point in enumerate(points)
        )
        notes, quotes = [], []
        for n, cell in enumerate(cells):
            interview = interviews[n // POINTS]
            for k in range(2 + n % 2):
                note = Note(
                    id=uuid.uuid4(),
                    interview=interview,
                    author=user,
                    kind=NoteKind.QUOTE,
                    text=SAID[k],
                    elapsed_seconds=60 * (n % POINTS) + 7 * k,
                )
                notes.append(note)
                quotes.append(
                    Quote(
                        point_summary=cell,
                        note=note,
                        text=note.text,
                        source_text=note.text,
                        source_seconds=note.elapsed_seconds,
                        bearing=[Bearing.FOR, Bearing.AGAINST, Bearing.UNMARKED][k],
                        position=k,
                    )
                )
        Note.objects.bulk_create(notes, batch_size=2000)
        Quote.objects.bulk_create(quotes, batch_size=2000)
    # Fresh statistics for the query planner, as autovacuum (PostgreSQL) keeps them on a
    # database that grew by use rather than by one bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    args = [workspace.slug, study.pk]
    return {
        "matrix": reverse("matrix:page", args=args),
        "xlsx": reverse("matrix:xlsx", args=args),
        "quotes": str(len(quotes)),
    }


def client():  # type: ignore[no-untyped-def]
    from django.test import Client

    from heard.accounts.models import User

    browser = Client()
    browser.force_login(User.objects.get(email=EMAIL))
    return browser


def measure_matrix(url: str) -> dict[str, float]:
    """The page's times, and where one request's time goes: its queries (as the database
    driver waits for them) against everything else (the view's Python and the template)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = client()
    figures = time_page(browser, url, "matrix", warmup=WARMUP, requests=REQUESTS)
    shares = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            assert browser.get(url).status_code == 200
            took = time.perf_counter() - started
        waited = sum(float(query["time"]) for query in queries.captured_queries)
        shares.append((waited / took, waited * 1000, len(queries.captured_queries)))
    share, waited_ms, count = sorted(shares)[len(shares) // 2]
    figures.update(
        matrix_query_share=round(share, 2), matrix_query_ms=round(waited_ms, 1), queries=count
    )
    return figures


def measure_xlsx(url: str) -> dict[str, float]:
    """Runs in a fresh process: the downloads, timed, and the process's peak memory; then the
    floors, written from the cells of the last download. The process first serves one page
    (the matrix), as a running server has: loading the views and their modules is not the
    export's work."""
    browser = client()
    assert browser.get(url.replace("matrix.xlsx", "matrix/")).status_code == 200
    before = peak_rss_mb()
    took, cpu_took = [], []
    data = b""
    for run in range(XLSX_RUNS):
        started, cpu = time.perf_counter(), time.process_time()
        response = browser.get(url)
        if run < XLSX_RUNS - 1:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            data = b"".join(response.streaming_content)
            size = len(data)
        took.append(time.perf_counter() - started)
        cpu_took.append(time.process_time() - cpu)
        assert response.status_code == 200
    figures: dict[str, float] = {
        "xlsx_s": round(statistics.median(took), 2),
        "xlsx_first_s": round(took[0], 2),
        "xlsx_cpu_s": round(statistics.median(cpu_took), 2),
        "xlsx_peak_rss_mb": peak_rss_mb(),
        "rss_before_mb": before,
        "xlsx_kb": round(size / 1024),
    }
    figures.update(xlsx_floor.measure(data, XLSX_RUNS))
    figures["xlsx_over_floor"] = round(figures["xlsx_s"] / figures["xlsx_floor_s"], 2)
    return figures


def child(step: str, url: str) -> None:
    """Runs in a fresh process with the environment for one database."""
    import gc

    import django
    from django.core.management import call_command

    django.setup()
    # As `heard serve` does once it has loaded (heard/asgi.py): what is loaded by now stays
    # out of the garbage collector's scans.
    gc.collect()
    gc.freeze()
    if step == "seed":
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        urls = seed()
        figures: dict[str, Any] = {"seed_s": round(time.perf_counter() - started, 1), **urls}
        figures.update(measure_matrix(urls["matrix"]))
    else:
        figures = measure_xlsx(url)
    print("RESULT " + json.dumps(figures), flush=True)


def run_db(db: str) -> dict[str, Any]:
    # The XLSX is downloaded as it is written, however large: the writer's time is what is
    # measured, the same as a background export's (synthesis/matrix/exports.py).
    with fresh_database(db, POSTGRES_DB, HEARD_EXPORT_BACKGROUND_QUOTES=str(10**9)) as env:
        figures: dict[str, Any] = run_step(__file__, ["--child", "seed"], env)
        figures.update(run_step(__file__, ["--child", "xlsx", "--url", figures["xlsx"]], env))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url)
        return
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    by_db = {db: run_db(db) for db in dbs}
    print(
        f"{INTERVIEWS} interviews x {POINTS} validation points, "
        f"{next(iter(by_db.values()))['quotes']} quotes"
    )
    print(f"{'figure':<22} {'db':<11} {'value':>9}  {'target':>8}  ratio")
    rows = (
        ("matrix p50 ms", "matrix_p50_ms", TARGET_MATRIX_P95_MS),
        ("matrix p95 ms", "matrix_p95_ms", TARGET_MATRIX_P95_MS),
        ("xlsx s", "xlsx_s", TARGET_XLSX_S),
        ("xlsx peak RSS MB", "xlsx_peak_rss_mb", TARGET_XLSX_RSS_MB),
        ("xlsx over its floor", "xlsx_over_floor", TARGET_XLSX_OVER_FLOOR),
    )
    for db, figures in by_db.items():
        for label, key, target in rows:
            ratio = figures[key] / target
            print(
                f"{label:<22} {db:<11} {figures[key]:>9.2f}  {target:>8.1f}  {ratio:.2f}"
                f"{'  OVER' if ratio > 1 else ''}"
            )
        print(
            f"{'':<22} {db:<11} the same {figures['floor_cells']:.0f} cells written alone: "
            f"XlsxWriter (constant memory) {figures['xlsx_floor_s']} s, "
            f"+{figures['xlsx_floor_added_mb']} MB, {figures['xlsx_floor_kb']} KB; "
            f"openpyxl (write-only) {figures['xlsx_openpyxl_floor_s']} s, "
            f"+{figures['xlsx_openpyxl_floor_added_mb']} MB, "
            f"{figures['xlsx_openpyxl_floor_kb']} KB"
        )
        print(
            f"{'':<22} {db:<11} Heard's export: first download {figures['xlsx_first_s']} s, "
            f"+{figures['xlsx_peak_rss_mb'] - figures['rss_before_mb']:.1f} MB over the "
            "process before it"
        )
        print(
            f"{'':<22} {db:<11} seeded in {figures['seed_s']} s; page {figures['matrix_kb']} KB; "
            f"file {figures['xlsx_kb']} KB in {figures['xlsx_cpu_s']} s of CPU; "
            f"RSS before the export {figures['rss_before_mb']} MB"
        )
        print(
            f"{'':<22} {db:<11} a page's {figures['queries']} queries take "
            f"{figures['matrix_query_ms']} ms, {figures['matrix_query_share']:.0%} of its time; "
            "the rest is the view's Python and the template"
        )
    keys = (
        "matrix_p95_ms",
        "matrix_query_share",
        "xlsx_s",
        "xlsx_peak_rss_mb",
        "xlsx_floor_s",
        "xlsx_over_floor",
        "xlsx_openpyxl_floor_s",
    )
    print(json.dumps({db: {key: figures[key] for key in keys} for db, figures in by_db.items()}))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
