"""From the recording to the matrix, in a real Chromium with the real speech model: a spoken
recording is uploaded (with its progress bar), transcribed with tiny.en, words of it are
selected and highlighted under a validation point, the highlight is quoted in the summary,
and the matrix cell plays that moment of the recording.

Screenshots: test-artifacts/screens/quote-from-recording-*.png.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from heard.interviews.models import (
    Consent,
    InterviewStatus,
    Note,
    NoteSource,
    TeamMember,
    TeamRole,
    Transcript,
)
from heard.synthesis.models import Quote
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.calls import planned_study
from tests.support.fixtures.speech import Clips
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Selects "their invoices" in the line that says it, as a person dragging over the words.
SELECT = """() => {
  const text = [...document.querySelectorAll(".transcript-text")]
    .find((p) => /invoices/i.test(p.textContent));
  const node = text.firstChild;
  const at = node.textContent.search(/invoices/i);
  const from = node.textContent.lastIndexOf(" ", at - 2) + 1;
  const range = document.createRange();
  range.setStart(node, from);
  range.setEnd(node, at + "invoices".length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return range.toString();
}"""


def test_a_quote_from_the_recording_plays_its_moment_in_the_matrix(
    person: Page, live_server: LiveServer, team: Team, clips: Clips, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HEARD_UPLOAD_DIR = tmp_path / "uploads"
    settings.HEARD_RECORDING_CHUNK_BYTES = 32 * 1024  # several pieces for the progress bar
    page = person
    plan = planned_study(
        team.workspace,
        ("Teams chase invoices by hand", "They would pay for reminders"),
        title="Invoice pains",
    )
    interview = factories.interview(
        plan.study,
        factories.participant(team.workspace, name="Olivia Chen", company="Brightpath"),
        guide=plan.guide,
        status=InterviewStatus.DONE,
        started_at=timezone.now(),
        ended_at=timezone.now(),
        recording_consent=Consent.YES,
    )
    TeamMember.objects.create(interview=interview, user=team.owner, role=TeamRole.INTERVIEWER)
    base = f"{live_server.url}/w/{team.workspace.slug}"

    def slowly(route: Route) -> None:  # each piece takes a moment, as over a real network
        time.sleep(0.15)
        route.continue_()

    page.route("**/chunk/**", slowly)
    sign_in(page.context, live_server.url, team.owner)
    page.goto(f"{base}/interviews/{interview.pk}/")

    # Upload: the progress bar moves, then the recording is ready.
    card = page.locator("#recordings")
    card.get_by_label("Recording").set_input_files(clips.phrase)
    card.get_by_role("button", name="Upload", exact=True).click()
    bar = card.get_by_role("progressbar")
    expect(bar).to_be_visible()
    page.wait_for_function(
        "() => { const bar = document.querySelector('#recordings progress');"
        " return bar && bar.value > 0 && bar.value < 100; }"
    )
    screenshot(page, "quote-from-recording-01-uploading")
    expect(card.get_by_role("status")).to_contain_text("Uploaded phrase.wav", timeout=30_000)

    # Transcribe it with the real model (the tests' task queue runs it at once).
    page.reload()
    page.locator("#transcripts").get_by_role("button", name=re.compile("^Transcribe")).click()
    transcripts = page.locator("#transcripts")
    expect(transcripts.get_by_text("Ready")).to_be_visible(timeout=60_000)
    transcript = Transcript.objects.get()
    assert "invoices" in " ".join(s.text for s in transcript.segments.all()).lower()
    transcripts.get_by_role("link", name="Transcribed by Heard").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Transcript of the interview")
    # The page's script listens for the h key once it has run (it is deferred: the heading
    # shows before it does).
    page.wait_for_load_state("load")
    expect(page.locator("#transcript-search")).to_be_visible()

    # Select words: the Highlight button appears beside them and opens the dialog.
    selected = page.evaluate(SELECT)
    assert selected.lower().endswith("invoices")
    # The h key opens the dialog for the selected words (the button beside them does too,
    # once the page has seen the selection change: screenshot 02 shows it when it has).
    screenshot(page, "quote-from-recording-02-selected")
    page.keyboard.press("h")
    dialog = page.get_by_role("dialog", name="Highlight these words")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("The words")).to_have_value(selected)
    dialog.get_by_label("Kind").select_option("quote")
    dialog.get_by_role("checkbox", name=re.compile(r"^VP1 Teams chase")).check()
    screenshot(page, "quote-from-recording-03-dialog")
    dialog.get_by_role("button", name="Highlight", exact=True).click()
    mark = page.locator(".transcript-mark")
    expect(mark).to_contain_text(selected)
    expect(mark).to_contain_text("VP1")
    screenshot(page, "quote-from-recording-04-highlighted")
    highlight = Note.objects.get(source=NoteSource.RECORDING)
    assert highlight.start_ms is not None
    assert highlight.end_ms is not None
    assert highlight.end_ms > highlight.start_ms

    # The summary offers it under VP1, marked as from the recording; quote it.
    page.goto(f"{base}/interviews/{interview.pk}/summary/")
    page.get_by_role("button", name="Start the summary").click()
    point = page.locator(f"#point-{plan.points[0].pk}")
    candidate = point.locator(".candidates li").filter(has_text=selected)
    expect(candidate).to_contain_text("From the recording")
    candidate.get_by_role("button", name=re.compile("^Add")).click()
    quote = point.locator(".quote-list .quote")
    expect(quote).to_contain_text(selected)
    expect(quote).to_contain_text("From the recording")
    screenshot(page, "quote-from-recording-05-summary")
    picked = Quote.objects.get()
    assert picked.from_transcript
    assert (picked.start_ms, picked.end_ms) == (highlight.start_ms, highlight.end_ms)

    # The matrix cell plays that moment: the page's player opens at the quote's start.
    page.goto(f"{base}/studies/{plan.study.pk}/matrix/")
    play = page.locator(".matrix-quote a.play-moment")
    expect(play).to_have_count(1)
    play.click()
    player = page.get_by_role("region", name="A moment of the recording")
    expect(player).to_be_visible()
    expect(player.get_by_role("status")).to_contain_text("in the recording")
    start = highlight.start_ms / 1000
    page.wait_for_function(
        "start => { const a = document.querySelector('.moment-player audio');"
        " return a && a.readyState >= 1 && Math.abs(a.currentTime - start) < 0.75; }",
        arg=start,
    )
    src = page.evaluate("() => document.querySelector('.moment-player audio').src")
    assert src.endswith(f"/recordings/{transcript.recording_id}/play/")
    screenshot(page, "quote-from-recording-06-matrix-plays")

    # Redact the same words: selected on the transcript, "Redact" beside them, confirmed on
    # the page that says it is for good. The quote in the matrix loses them too.
    page.goto(
        live_server.url
        + reverse(
            "transcripts:detail",
            kwargs={"ws": team.workspace.slug, "pk": interview.pk, "transcript_pk": transcript.pk},
        )
    )
    page.wait_for_load_state("load")
    expect(page.locator("#transcript-search")).to_be_visible()
    page.evaluate(SELECT)
    tools = page.locator("#selection-tools")
    expect(tools).to_be_visible()
    tools.get_by_role("button", name="Redact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redact words of the transcript")
    expect(page.locator(".redact-words")).to_have_text(selected)
    screenshot(page, "quote-from-recording-07-redact")
    page.get_by_role("button", name="Redact these words for good").click()
    expect(page.locator(".transcript-text").filter(has_text="[redacted]")).to_have_count(1)
    expect(page.locator(".transcript-body")).not_to_contain_text(selected)
    screenshot(page, "quote-from-recording-08-redacted")
    page.goto(f"{base}/studies/{plan.study.pk}/matrix/")
    expect(page.locator(".matrix-quote")).to_contain_text("[redacted]")
    expect(page.locator(".matrix-quote")).not_to_contain_text(selected)
