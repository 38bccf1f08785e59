"""A large study's matrix as XLSX in a real Chromium: the button queues the file, the page shows
its progress bar while a worker writes it, then a link to download it.

Every step leaves a screenshot under test-artifacts/screens/matrix-export-*.png.
"""

from __future__ import annotations

import io
import re
import threading
import time
from typing import Any

import pytest
from django.db import connections
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.accounts.models import Role
from heard.core.worker import thread_worker
from heard.synthesis.matrix import exports
from heard.synthesis.models import Bearing, Stance
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.matrix import held, summarised

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_media"),
]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
INTERVIEWS = 24


def test_a_large_study_is_exported_with_a_progress_bar(
    person: Page, live_server: LiveServer, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path
):
    page = person
    settings.TASKS = DATABASE_TASKS
    settings.HEARD_EXPORT_BACKGROUND_QUOTES = 20
    workspace = factories.workspace("Ledgerly")
    owner = factories.member(workspace, Role.OWNER, name="Dana Lee")
    study = factories.study(workspace, title="Why report generation feels cumbersome")
    points = [
        factories.point(study, "Small teams rebuild reports by hand every week.", 0),
        factories.point(study, "They would trust scheduled reports unreviewed.", 1),
    ]
    for n in range(INTERVIEWS):
        person_ = factories.participant(workspace, name=f"Customer {n:02}", company=f"Co {n}")
        interview = held(study, person_, days_ago=40 - n, interviewer=owner)
        summarised(
            interview,
            owner,
            points,
            stances=(Stance.SUPPORTS, Stance.MIXED),
            quotes=(
                ("Monday mornings go to the same six reports.", 0, Bearing.FOR),
                ("I check every number twice before it goes out.", 1, Bearing.AGAINST),
            ),
        )
    sign_in(page.context, live_server.url, owner)

    page.goto(f"{live_server.url}/w/{workspace.slug}/studies/{study.pk}/matrix/")
    expect(page.locator("#matrix-export")).to_contain_text(
        "its XLSX file is made in the background"
    )
    page.get_by_role("button", name="Make the XLSX file").click()
    panel = page.locator("#matrix-export")
    bar = panel.get_by_role("progressbar", name="Waiting for a worker")
    expect(bar).to_be_visible()
    expect(panel.get_by_role("status")).to_contain_text("It starts when a worker is free.")
    screenshot(page, "matrix-export-01-queued")

    # A worker writes it, slowly enough for the page to show it under way.
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 0.0)
    save = exports._Progress._save

    def slowly(self: Any, **changes: int) -> None:
        save(self, **changes)
        time.sleep(0.3)

    monkeypatch.setattr(exports._Progress, "_save", slowly)

    # `heard worker --batch`, in a thread of its own.
    batch = thread_worker(batch=True)

    def work() -> None:
        try:
            batch.run()
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        running = panel.get_by_role("progressbar", name="Writing the file")
        expect(running).to_be_visible(timeout=15_000)
        expect(panel.get_by_role("status")).to_contain_text(
            re.compile(r"[1-9]\d* of 72 rows written"), timeout=15_000
        )
        screenshot(page, "matrix-export-02-running")
        link = panel.get_by_role("link", name="Download XLSX")
        expect(link).to_be_visible(timeout=30_000)
    finally:
        worker.join()
    expect(panel.get_by_role("progressbar")).to_have_count(0)
    expect(panel).to_contain_text("kept until")
    screenshot(page, "matrix-export-03-ready")

    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("heard-matrix-why-report-generation-feels-cumbersome-")
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert book["Matrix"].max_row == 2 + INTERVIEWS
    assert book["Quotes"].max_row == 1 + 2 * INTERVIEWS
