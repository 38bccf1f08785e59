"""From a finished interview with its recording and transcript to the coach's report, in a
real Chromium: the interviewer opens the report from the interview's page, reads what to try
next time, and plays the moment an observation points at.

Screenshots: test-artifacts/screens/coach-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.coach.models import CoachReport
from heard.interviews.live import milestones
from heard.interviews.models import TeamMember, TeamRole
from heard.interviews.transcripts.imports import import_transcript
from tests.coach.conftest import map_speakers, vtt
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.calls import planned_study
from tests.support.media import stored_recording
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_interviewer_plays_the_moment_the_coach_points_at(
    person: Page, live_server: LiveServer, team: Team, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    page = person
    plan = planned_study(team.workspace, ("Approvals hold the books back",), title="Month end")
    interview = factories.interview(
        plan.study, factories.participant(team.workspace, name="Bo Chen"), guide=plan.guide
    )
    TeamMember.objects.create(interview=interview, user=team.teammate, role=TeamRole.INTERVIEWER)
    milestones.start(interview, team.teammate)
    milestones.record_consent(interview, team.teammate, "yes")
    milestones.end(interview, team.teammate, promised_follow_up=True)
    interview.refresh_from_db()
    recording = stored_recording(interview, team.teammate, tmp_path, seconds=190)
    upload = SimpleUploadedFile("call.vtt", vtt(), content_type="text/vtt")
    import_transcript(interview, team.teammate, upload, recording)
    map_speakers(interview, team)  # its commit asks the coach, whose task runs at once
    report = CoachReport.objects.get(interview=interview)
    assert report.is_ready
    assert not report.is_stale

    sign_in(page.context, live_server.url, team.teammate)
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/interviews/{interview.pk}/")
    page.get_by_role("link", name="Open the coach's report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the interview went")
    advice = page.locator(".coach-advice > li")
    expect(advice.first).to_contain_text("Keep our solution out of the interview")
    expect(page.locator("#talk-h")).to_be_visible()
    expect(page.locator(".coach-course svg, svg.coach-chart").first).to_be_visible()
    screenshot(page, "coach-01-report")

    # The first piece of advice plays the pitching question, from a moment before it (1:31).
    play = advice.first.locator("a.play-moment")
    expect(play).to_have_count(1)
    play.focus()
    page.keyboard.press("Enter")
    player = page.get_by_role("region", name="A moment of the recording")
    expect(player).to_be_visible()
    page.wait_for_function(
        "() => { const a = document.querySelector('.moment-player audio');"
        " return a && a.readyState >= 1 && Math.abs(a.currentTime - 89) < 0.75; }"
    )
    src = page.evaluate("() => document.querySelector('.moment-player audio').src")
    assert src.endswith(f"/recordings/{recording.pk}/play/")
    screenshot(page, "coach-02-plays-the-moment")

    # Every question is listed at its time, with its kind and why.
    page.get_by_text("Every question the team asked").click()
    listed = page.locator(".coach-asked-list > li")
    expect(listed.filter(has_text="Don't you think a tool would fix that?")).to_contain_text(
        "Leading"
    )
    # The transcript's line of an observation opens in the transcript.
    listed.filter(has_text="Tell me about the last time").get_by_role(
        "link", name="in the transcript"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Transcript of the interview")
    line = report.transcript.segments.get(text__startswith="Tell me about the last time")
    expect(page).to_have_url(
        re.compile(rf"/transcripts/{report.transcript_id}/#segment-{line.pk}$")
    )
    screenshot(page, "coach-03-transcript")
