"""A study out to a qualitative analysis program and back, in a real Chromium: the study page's
link downloads a valid REFI-QDA project; uploading it again (its highlights gone meanwhile)
shows what it would add, and importing brings the highlights back.

Screenshots: test-artifacts/screens/refi-qda-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.interviews.models import Note, NoteSource
from heard.interviews.transcripts import highlights
from tests.support.browser import screenshot, sign_in
from tests.support.exchange import coded_study, project_schema, read_qdpx
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _highlighted(transcript_id: int) -> list[str]:
    return sorted(
        Note.objects.filter(
            transcript_id=transcript_id, source=NoteSource.RECORDING, deleted_at__isnull=True
        ).values_list("text", flat=True)
    )


def test_export_then_import_back(
    person: Page, live_server: LiveServer, team: Team, tmp_path: Path
) -> None:
    page = person
    coded = coded_study(team)
    before = _highlighted(coded.transcript.pk)
    sign_in(page.context, live_server.url, team.owner)
    base = f"{live_server.url}/w/{team.workspace.slug}"

    page.goto(f"{base}/studies/{coded.study.pk}/")
    card = page.get_by_role("region", name="Qualitative analysis programs")
    expect(card).to_be_visible()
    card.scroll_into_view_if_needed()
    screenshot(page, "refi-qda-01-study-page")
    with page.expect_download() as download:
        card.get_by_role("link", name="Download project (.qdpx)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".qdpx"
    qdpx = read_qdpx(saved.read_bytes())
    project_schema().validate(qdpx.xml)
    assert len(qdpx.selections()) == 3 + 2 + 2  # highlights, notes of the call, quotes

    for mark in coded.highlights:
        highlights.remove(mark)
    card.get_by_role("link", name="Import a coded project").click()
    expect(page.get_by_role("heading", name="Import a coded project")).to_be_visible()
    page.get_by_label("REFI-QDA project (.qdpx)").set_input_files(saved)
    screenshot(page, "refi-qda-02-upload")
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Check, then import")).to_be_visible()
    expect(page.get_by_role("link", name="Bo Chen")).to_be_visible()
    expect(page.get_by_role("table").nth(1)).to_contain_text("it takes four days")
    expect(page.get_by_role("heading", name="Skipped")).to_be_visible()
    screenshot(page, "refi-qda-03-check")
    assert _highlighted(coded.transcript.pk) == []

    page.get_by_role("button", name="Import 3 highlights").click()
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    expect(page.get_by_text("Imported 3 highlights on 1 interview")).to_be_visible()
    screenshot(page, "refi-qda-04-imported")
    assert _highlighted(coded.transcript.pk) == before

    # A file that is not a project: the reason, on the page.
    bad = tmp_path / "notes.qdpx"
    bad.write_bytes(b"just some notes")
    page.goto(f"{base}/studies/{coded.study.pk}/refi-qda/import/")
    page.get_by_label("REFI-QDA project (.qdpx)").set_input_files(bad)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("a .qdpx file is a ZIP archive, and this one is not")).to_be_visible()
    screenshot(page, "refi-qda-05-not-a-project")
