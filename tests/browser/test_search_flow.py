"""From a question to the moment and into the summary, in a real Chromium: a researcher
presses "/" on any page, searches, opens a transcript line at its moment (the player waits
there), comes back and adds the line to the interview's summary as a quote, without leaving
the results.

Screenshots: test-artifacts/screens/search-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.interviews.live import milestones
from heard.interviews.models import Segment, TeamMember, TeamRole, TranscriptSpeaker
from heard.interviews.transcripts import speakers
from heard.interviews.transcripts.imports import import_transcript
from heard.synthesis.models import Quote
from tests.search.conftest import BO
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.calls import planned_study
from tests.support.media import stored_recording
from tests.support.personas import Team
from tests.support.transcripts import vtt_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_open_the_moment_and_add_it_to_the_summary(
    person: Page, live_server: LiveServer, team: Team, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    page = person
    plan = planned_study(
        team.workspace, ("Month end takes too long", "Nobody cares"), title="Month end"
    )
    bo = factories.participant(team.workspace, name="Bo Chen", company="Northwind")
    interview = factories.interview(plan.study, bo, guide=plan.guide)
    TeamMember.objects.create(interview=interview, user=team.teammate, role=TeamRole.INTERVIEWER)
    milestones.start(interview, team.teammate)
    milestones.record_consent(interview, team.teammate, "yes")
    milestones.end(interview, team.teammate, promised_follow_up=False)
    interview.refresh_from_db()
    recording = stored_recording(interview, team.teammate, tmp_path, seconds=90)
    upload = SimpleUploadedFile("call.vtt", vtt_of(BO), content_type="text/vtt")
    transcript = import_transcript(interview, team.teammate, upload, recording)
    labels = {s.label: s for s in TranscriptSpeaker.objects.filter(interview=interview)}
    speakers.save_mapping(
        interview,
        {labels["Tom"].pk: (f"user:{team.teammate.pk}", ""), labels["Bo"].pk: ("participant", "")},
        speakers.team_of(interview),
        team.owner,
    )
    line = Segment.objects.get(transcript=transcript, text__startswith="Every month")

    sign_in(page.context, live_server.url, team.teammate)
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/studies/")
    page.keyboard.press("/")
    box = page.get_by_role("searchbox", name="Search this workspace")
    expect(box).to_be_focused()
    box.fill("invoices")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    lines = page.get_by_role("region", name="Transcript lines 1")
    expect(lines).to_be_visible()
    expect(lines.locator("mark")).to_have_text("invoices")
    expect(lines.locator(".hit-meta")).to_contain_text("Bo Chen (Northwind)")
    expect(lines.locator(".hit-meta")).to_contain_text("00:21 in the recording")
    screenshot(page, "search-01-results")

    # Open the line: the transcript page, its player waiting at the line's time.
    lines.get_by_role("link", name="Open the line").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#segment-{line.pk}")
    page.wait_for_function(
        "() => { const a = document.getElementById('transcript-audio');"
        " return a && a.readyState >= 1 && Math.abs(a.currentTime - 21) < 0.5; }"
    )
    expect(page.locator(f"#segment-{line.pk}")).to_have_attribute("aria-current", "true")
    screenshot(page, "search-02-the-moment")

    # Back to the results: tick the line, add it as a quote under the first point.
    page.go_back()
    lines = page.get_by_role("region", name="Transcript lines 1")
    lines.get_by_role("checkbox").check()
    page.get_by_label("as quotes in their summaries, under").select_option(
        value=str(plan.points[0].pk)
    )
    page.get_by_role("button", name="Add as quotes").click()
    outcome = page.get_by_role("status").filter(has_text="is a quote for VP1")
    expect(outcome).to_contain_text("in Bo Chen's summary")
    screenshot(page, "search-03-added-to-the-summary")
    quote = Quote.objects.get(point_summary__summary__interview=interview)
    assert quote.text == line.text
    assert quote.from_transcript

    page.goto(f"{live_server.url}/w/{team.workspace.slug}/interviews/{interview.pk}/summary/")
    expect(page.locator(f"#quote-{quote.pk}")).to_contain_text("Every month we export invoices")
