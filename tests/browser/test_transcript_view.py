"""The transcript's page in a real Chromium: a line clicked plays from its time (the audio's
position jumps and the line is highlighted), the search finds and steps through lines, a
line is edited in place, and the call's notes sit among the lines.

Screenshots: test-artifacts/screens/transcript-view-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.interviews.models import (
    Consent,
    Note,
    NoteKind,
    Segment,
    SegmentEdit,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.media import make_media, stored_recording
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAID = [
    "Thanks for joining us today.",
    "Tell me about the last time you closed the month.",
    "It took four days, mostly chasing invoices by email.",
    "What did you try to make that shorter?",
    "A shared spreadsheet of invoices, which nobody kept up.",
    "What would a good month look like?",
]


def test_play_a_line_search_and_edit_one(
    person: Page, live_server: LiveServer, team: Team, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    page = person
    study = factories.study(team.workspace, title="Month-end pains")
    participant = factories.participant(team.workspace, name="Bo Chen")
    interview = factories.interview(study, participant, recording_consent=Consent.YES)
    recording = stored_recording(interview, team.owner, tmp_path)
    # A playback copy of 40 seconds, so that there is somewhere to jump to.
    longer = make_media(tmp_path / "long.m4a", "m4a", seconds=40.0)
    default_storage.delete(recording.playback.name)
    recording.playback.name = default_storage.save(
        recording.playback.name, ContentFile(longer.read_bytes())
    )
    recording.duration = 40.0
    recording.save()
    transcript = Transcript.objects.create(
        interview=interview,
        recording=recording,
        source="transcribed",
        status=TranscriptStatus.READY,
        created_by=team.owner,
    )
    voices = [
        TranscriptSpeaker.objects.create(interview=interview, label=label)
        for label in ("Channel 1", "Channel 2")
    ]
    for index, text in enumerate(SAID):
        Segment.objects.create(
            transcript=transcript,
            index=index,
            start_ms=index * 6000,
            end_ms=index * 6000 + 5000,
            speaker=voices[index % 2],
            text=text,
            original_text=text,
        )
    Note.objects.create(
        interview=interview,
        author=team.owner,
        kind=NoteKind.PAIN,
        text="Four days to close the month",
        elapsed_seconds=14,
    )

    sign_in(page.context, live_server.url, team.owner)
    page.goto(
        f"{live_server.url}/w/{team.workspace.slug}/interviews/{interview.pk}/transcripts/"
        f"{transcript.pk}/"
    )
    audio = page.locator("#transcript-audio")
    lines = page.locator(".transcript-line")
    expect(lines).to_have_count(6)
    # The note sits between the lines at 0:12 and 0:18, with its kind.
    note = page.locator(".transcript-note")
    expect(note).to_contain_text("Pain")
    expect(note).to_contain_text("Four days to close the month")
    assert page.locator(".transcript-lines > li").nth(3).get_attribute("class") == (
        "transcript-note"
    )
    screenshot(page, "transcript-view-01-page")

    # A line's time is a button named by its time and speaker: it plays from there.
    page.get_by_role("button", name="0:24 Channel 1").click()
    page.wait_for_function(
        "() => Math.abs(document.getElementById('transcript-audio').currentTime - 24) < 1"
    )
    expect(lines.nth(4)).to_have_class("transcript-line is-playing")
    expect(lines.nth(4)).to_have_attribute("aria-current", "true")
    audio.evaluate("a => a.pause()")
    # Enter on another line's button plays from that one.
    page.get_by_role("button", name="0:06 Channel 2").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('transcript-audio').currentTime - 6) < 1"
    )
    expect(lines.nth(1)).to_have_class("transcript-line is-playing")
    expect(lines.nth(4)).to_have_class("transcript-line")
    audio.evaluate("a => a.pause()")
    # The speed.
    page.get_by_label("Speed").select_option("1.5")
    assert audio.evaluate("a => a.playbackRate") == 1.5

    # Search: two lines speak of invoices; Enter goes from one to the next.
    search = page.get_by_label("Search the transcript")
    search.fill("invoices")
    expect(page.get_by_role("status").filter(has_text="lines found")).to_have_text("2 lines found")
    expect(page.locator(".transcript-line.is-match")).to_have_count(2)
    search.press("Enter")
    expect(page.locator(".is-current-match")).to_contain_text("chasing invoices")
    search.press("Enter")
    expect(page.locator(".is-current-match")).to_contain_text("shared spreadsheet")
    expect(page.get_by_text("2 of 2 lines found")).to_be_visible()
    screenshot(page, "transcript-view-02-search")

    # Edit a line in place: its text and who said it.
    lines.nth(3).get_by_role("link", name="Edit the line at 0:18").click()
    form = page.locator(".segment-form")
    expect(form).to_be_visible()
    form.get_by_label("What was said").fill("What did you try, to make it shorter?")
    form.get_by_label("Speaker").select_option(label="Channel 1")
    screenshot(page, "transcript-view-03-editing")
    form.get_by_role("button", name="Save the line").click()
    expect(lines.nth(3)).to_contain_text("What did you try, to make it shorter?")
    expect(lines.nth(3)).to_contain_text("Channel 1")
    expect(form).to_have_count(0)
    edit = SegmentEdit.objects.get()
    assert edit.old_text == SAID[3]
    assert edit.edited_by == team.owner
    # The edited line still plays from its time.
    page.get_by_role("button", name="0:18 Channel 1").click()
    page.wait_for_function(
        "() => Math.abs(document.getElementById('transcript-audio').currentTime - 18) < 1"
    )
    expect(lines.nth(3)).to_have_class("transcript-line is-playing")
    audio.evaluate("a => a.pause()")
    screenshot(page, "transcript-view-04-edited")

    # Keys outside the text boxes: l forward 5 seconds, j back, k plays and pauses.
    page.locator("h1").click()
    page.keyboard.press("l")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('transcript-audio').currentTime - 23) < 1"
    )
    expect(lines.nth(3)).to_have_class("transcript-line is-playing")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('transcript-audio').currentTime - 13) < 1"
    )
    expect(lines.nth(2)).to_have_class(re.compile(r"\bis-playing\b"))
    expect(page.get_by_role("button", name="Follow the playing line")).to_be_hidden()

    # A transcript without a recording: no player, the search still steps through lines.
    alone = Transcript.objects.create(
        interview=interview,
        source="imported",
        status=TranscriptStatus.READY,
        created_by=team.owner,
    )
    for index, text in enumerate(SAID):
        Segment.objects.create(
            transcript=alone,
            index=index,
            start_ms=index * 6000,
            speaker=voices[0],
            text=text,
            original_text=text,
        )
    page.goto(
        f"{live_server.url}/w/{team.workspace.slug}/interviews/{interview.pk}/transcripts/"
        f"{alone.pk}/"
    )
    expect(page.locator("audio")).to_have_count(0)
    search = page.get_by_label("Search the transcript")
    search.fill("month")
    search.press("Enter")
    expect(page.locator(".is-current-match")).to_contain_text("closed the month")
    expect(page.get_by_text("1 of 2 lines found")).to_be_visible()
