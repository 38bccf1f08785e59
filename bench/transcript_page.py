"""The transcript page of a 2-hour interview, rendered server-side: seeds a fresh SQLite
database with one interview, its recording's transcript of 2,500 segments (a line every
2.9 s, two speakers), 120 notes and 60 highlights, then times the page with Django's test client.
`bench/transcribe.py` runs it and adds its line to its table; on its own:

    .venv/bin/python bench/transcript_page.py

prints the figures as one JSON object. Target: p95 under 300 ms.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from support import fresh_env, run_step, time_page

TARGET_P95_MS = 300.0
SEGMENTS = 2500
NOTES = 120
HIGHLIGHTS = 60
REQUESTS = 30
WARMUP = 3
EMAIL = "bench@example.org"
SAID = (
    "Every Monday morning goes to rebuilding the same six reports, and honestly nobody reads "
    "half of them until Wednesday."
)


def seed() -> str:
    """Fill the database; return the page's address."""
    import datetime

    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.interviews.models import (
        Consent,
        Interview,
        Note,
        NoteKind,
        Recording,
        RecordingStatus,
        Segment,
        Transcript,
        TranscriptSpeaker,
        TranscriptStatus,
    )
    from heard.interviews.transcripts import highlights
    from heard.participants.models import Participant
    from heard.studies.models import Study, ValidationPoint

    with transaction.atomic():
        user = User.objects.create_user(email=EMAIL, name="Bench", password=None)
        workspace = Workspace.objects.create(name="Bench", slug="bench")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        study = Study.objects.create(workspace=workspace, title="Big study", goal="Measure.")
        person = Participant.objects.create(workspace=workspace, name="Bo Chen")
        started = timezone.now() - datetime.timedelta(days=1)
        interview = Interview.objects.create(
            study=study,
            participant=person,
            starts_at=started,
            started_at=started,
            recording_consent=Consent.YES,
        )
        recording = Recording.objects.create(
            interview=interview,
            original_name="call.m4a",
            size=60_000_000,
            status=RecordingStatus.READY,
            duration=7200.0,
            playback="recordings/bench-play.m4a",
        )
        transcript = Transcript.objects.create(
            interview=interview,
            recording=recording,
            source="transcribed",
            status=TranscriptStatus.READY,
            created_by=user,
        )
        speakers = [
            TranscriptSpeaker.objects.create(interview=interview, label=f"Channel {n}")
            for n in (1, 2)
        ]
        step = 7_200_000 // SEGMENTS
        Segment.objects.bulk_create(
            Segment(
                transcript=transcript,
                index=i,
                start_ms=i * step,
                end_ms=i * step + step - 200,
                speaker=speakers[i % 2],
                text=SAID,
                original_text=SAID,
            )
            for i in range(SEGMENTS)
        )
        kinds = list(NoteKind)
        Note.objects.bulk_create(
            Note(
                interview=interview,
                author=user,
                kind=kinds[i % len(kinds)],
                text=f"Note {i}: {SAID}",
                elapsed_seconds=i * 7200 // NOTES,
            )
            for i in range(NOTES)
        )
        # Highlights, each on a line of its own with two validation points.
        points = [
            ValidationPoint.objects.create(
                study=interview.study, statement=f"Point {n}", position=n
            )
            for n in range(4)
        ]
        lines = list(transcript.segments.order_by("index")[:: SEGMENTS // HIGHLIGHTS])
        for n, line in enumerate(lines[:HIGHLIGHTS]):
            span = highlights.locate(transcript, line.pk, None, "the same six reports")
            highlights.add(transcript, span, NoteKind.PAIN, points[n % 3 : n % 3 + 2], user)
    return reverse(
        "transcripts:detail",
        kwargs={"ws": workspace.slug, "pk": interview.pk, "transcript_pk": transcript.pk},
    )


def measure(url: str) -> dict[str, float]:
    from django.test import Client

    from heard.accounts.models import User

    browser = Client()
    browser.force_login(User.objects.get(email=EMAIL))
    return time_page(browser, url, "transcript_page", warmup=WARMUP, requests=REQUESTS)


def child() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    print("RESULT " + json.dumps(measure(seed())), flush=True)


def run() -> dict[str, Any]:
    """The figures, from a fresh process on a fresh SQLite database."""
    env = fresh_env("sqlite", "")
    try:
        return run_step(__file__, ["--child"], env)
    finally:
        shutil.rmtree(env["HEARD_DATA_DIR"], ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        print(json.dumps(run()))
