"""Transcripts in a real Chromium: the interview page while a transcription runs (its progress
bar and time left, updated by polling), importing a file, saying who speaks, and the
transcript's page with its downloads.

Screenshots: test-artifacts/screens/transcript-*.png.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.interviews.models import (
    Consent,
    Segment,
    TeamMember,
    TeamRole,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.media import stored_recording
from tests.support.personas import Team
from tests.support.transcripts import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_running_transcription_an_import_and_the_transcript_page(
    person: Page, live_server: LiveServer, team: Team, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    page = person
    study = factories.study(team.workspace, title="Reporting pains")
    participant = factories.participant(team.workspace, name="Bo Chen")
    interview = factories.interview(study, participant, recording_consent=Consent.YES)
    TeamMember.objects.create(interview=interview, user=team.owner, role=TeamRole.INTERVIEWER)
    recording = stored_recording(interview, team.owner, tmp_path)
    recording.duration = 1800.0
    recording.save()
    # A transcription under way on a worker: a third done in six minutes, its first lines in.
    running = Transcript.objects.create(
        interview=interview,
        recording=recording,
        source="transcribed",
        language="en",
        status=TranscriptStatus.RUNNING,
        run_token="worker",
        heartbeat_at=timezone.now() + timedelta(hours=1),  # alive for the whole test
        started_at=timezone.now() - timedelta(minutes=6),
        done_seconds=600.0,
        total_seconds=1800.0,
        attempts=1,
        created_by=team.owner,
    )
    speaker = TranscriptSpeaker.objects.create(interview=interview, label="Channel 1")
    for index, text in enumerate(["Thanks for joining us today.", "Tell me about the last close."]):
        Segment.objects.create(
            transcript=running,
            index=index,
            start_ms=index * 4000,
            end_ms=index * 4000 + 3500,
            speaker=speaker,
            text=text,
            original_text=text,
        )

    sign_in(page.context, live_server.url, team.owner)
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/interviews/{interview.pk}/")
    card = page.locator("#transcripts")
    bar = card.get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "33")
    expect(card.get_by_text("About 12 minutes left")).to_be_visible()
    # The list asks for itself: progress made on the worker shows without a reload.
    Transcript.objects.filter(pk=running.pk).update(done_seconds=1200.0)
    expect(bar).to_have_attribute("value", "66", timeout=10_000)
    screenshot(page, "transcript-01-running")

    # Import a Zoom transcript alone (no recording), see it on its page.
    card.get_by_text("Import a transcript").click()
    card.get_by_label("Transcript file").set_input_files(FIXTURES / "zoom.vtt")
    card.get_by_label("Recording it belongs to").select_option(
        label="None: the transcript stands alone"
    )
    card.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Transcript imported: 4 lines.")).to_be_visible()
    lines = page.locator(".transcript-line")
    expect(lines).to_have_count(4)
    expect(lines.first).to_contain_text("Ana Ruiz")

    # Say who speaks, on the interview page: Bo Chen is suggested as the participant.
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/interviews/{interview.pk}/")
    card = page.locator("#transcripts")
    mapping = card.locator(".speaker-form")
    expect(mapping.get_by_label("Bo Chen", exact=True)).to_have_value("participant")
    mapping.get_by_label("Ana Ruiz", exact=True).select_option(f"user:{team.owner.pk}")
    screenshot(page, "transcript-02-speakers")
    mapping.get_by_role("button", name="Save who is speaking").click()
    expect(page.get_by_text("Speakers saved")).to_be_visible()

    imported = Transcript.objects.get(source="imported")
    page.goto(
        f"{live_server.url}/w/{team.workspace.slug}/interviews/{interview.pk}/transcripts/"
        f"{imported.pk}/"
    )
    expect(page.locator(".transcript-line").first).to_contain_text("Olivia Owner")
    expect(page.get_by_role("link", name="VTT (WebVTT)", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="SRT (SubRip)", exact=True).click()
    saved = tmp_path / "out.srt"
    download.value.save_as(saved)
    assert "Olivia Owner: Thanks for making the time today." in saved.read_text()
    screenshot(page, "transcript-03-page")
