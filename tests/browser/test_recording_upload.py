"""Uploading a recording in a real Chromium: the file goes in pieces with a progress bar, a
dropped connection is resumed from where the server stopped, and the recording ends ready to
play in the page's player.

Screenshots: test-artifacts/screens/recording-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from heard.interviews.models import Consent, Recording, RecordingStatus
from tests.support import factories
from tests.support.browser import screenshot, sign_in, watch
from tests.support.media import make_media
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_recording_uploads_in_pieces_resumes_and_plays(
    page: Page, live_server: LiveServer, team: Team, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HEARD_UPLOAD_DIR = tmp_path / "uploads"
    settings.HEARD_RECORDING_CHUNK_BYTES = 64 * 1024  # many pieces for a small file
    problems = watch(page)
    study = factories.study(team.workspace, title="Reporting pains")
    participant = factories.participant(team.workspace, name="Zoë Ångström")
    interview = factories.interview(study, participant, recording_consent=Consent.YES)
    path = make_media(tmp_path / "Call with Zoë.wav", "wav", seconds=12)

    dropped: list[str] = []

    def drop_one(route: Route) -> None:
        url = route.request.url
        if not dropped and "offset=" in url and int(url.rsplit("=", 1)[1]) >= 5 * 64 * 1024:
            dropped.append(url)  # the sixth piece, once: the connection drops
            route.abort("connectionreset")
            return
        route.continue_()

    page.route("**/chunk/**", drop_one)
    sign_in(page.context, live_server.url, team.owner)
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/interviews/{interview.pk}/")
    card = page.locator("#recordings")
    expect(card.get_by_role("heading", name="Recordings")).to_be_visible()
    expect(card.get_by_text("No recording yet.")).to_be_visible()
    card.get_by_label("Recording").set_input_files(path)
    card.get_by_role("button", name="Upload", exact=True).click()

    status = card.get_by_role("status")
    expect(status).to_contain_text("The connection dropped")
    bar = card.get_by_role("progressbar")
    expect(bar).to_be_visible()
    assert 0 < int(bar.get_attribute("value") or 0) < 100
    screenshot(page, "recording-01-upload-in-progress")

    expect(status).to_contain_text("Uploaded Call with Zoë.wav", timeout=30_000)
    assert dropped, "the connection was never dropped"
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.READY
    assert recording.size == path.stat().st_size

    player = card.locator("audio.recording-player")
    expect(player).to_be_visible()
    duration = player.evaluate(
        """audio => new Promise((resolve, reject) => {
             if (audio.readyState >= 1) return resolve(audio.duration);
             audio.addEventListener("loadedmetadata", () => resolve(audio.duration));
             audio.addEventListener("error", () => reject(new Error("cannot play")));
             audio.load();
           })"""
    )
    assert duration == pytest.approx(12, abs=0.2)
    # It seeks: the player asks for a range and gets it.
    player.evaluate("audio => { audio.currentTime = 6; }")
    expect(card.get_by_text("0:12")).to_be_visible()
    screenshot(page, "recording-02-ready-to-play")
    # The one piece whose connection the test cut is the only thing that went wrong.
    assert [p for p in problems if "ERR_CONNECTION_RESET" not in p] == []
    assert len(problems) == 1
