"""The synthesis matrix in a real Chromium: from the study to the matrix, scrolling the wide
table (the interviews' column and the header stay put), filtering, following a quote to its
note, and downloading the XLSX file.

Every step leaves a screenshot under test-artifacts/screens/matrix-*.png.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.accounts.models import Role, User
from heard.participants import pseudonyms
from heard.participants.models import Participant
from heard.studies.models import Study
from heard.synthesis.models import Bearing, Stance
from tests.support import factories
from tests.support.browser import ARTIFACTS, screenshot, sign_in
from tests.support.matrix import HOSTILE, RTL, held, summarised

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = (
    "Small teams spend more than two hours a week building recurring reports by hand.",
    "Customers would trust reports that are generated and sent on a schedule, unreviewed.",
    "How do customers measure the efficiency of their reporting work?",
    "Customers export to spreadsheets because our charts cannot be customised enough.",
    "Finance teams would pay more for reports their auditors accept as they are.",
)
S, C, M, Q = Stance.SUPPORTS, Stance.CONTRADICTS, Stance.MIXED, Stance.SILENT
F, A = Bearing.FOR, Bearing.AGAINST
PEOPLE = (
    # name, company, segment, stances, quotes (words, point, bearing)
    (
        "Nickole Barros",
        "Brightpath Analytics",
        "SMB",
        (S, M, S, Q),
        (
            (
                "We have a very small team and therefore we definitely need to become more "
                "efficient.",
                0,
                F,
            ),
            ("Monday mornings go to rebuilding the same six reports by hand.", 0, F),
            ("The weekly digest could go out on its own; the board pack never.", 1, F),
            ("I would never send the board anything I have not looked at twice.", 1, A),
            ("Hours per campaign report: about three today.", 2, F),
        ),
    ),
    (
        "Tomás Ortega",
        "Northwind Retail",
        "Mid-market",
        (M, C, S, C),
        (
            ("I don't send anything to the board I haven't looked at twice.", 1, A),
            ("Time to close the monthly report: four working days.", 2, F),
            ("Exports time out on year-long ranges, so I stitch months in Excel.", 3, A),
        ),
    ),
    (
        "Priya Nair",
        "Helix Health",
        "Enterprise",
        (C, C, M, S, S),
        (
            ("Our analysts have the afternoon for it; it is not a pain for us.", 0, A),
            ("We export everything because the BI team re-charts it in Tableau anyway.", 3, F),
            (RTL, 4, F),
        ),
    ),
    (
        "Chloé Martin",
        "Atelier Mode",
        "SMB",
        (S, S, Q, Q, M),
        (
            ("Every Friday I copy the same numbers into an email for the team.", 0, F),
            ("Just send it every Friday, I trust the numbers.", 1, F),
            (HOSTILE, 4, F),
        ),
    ),
)


@dataclass
class Story:
    owner: User
    observer: User
    study: Study


def a_round() -> Story:
    workspace = factories.workspace("Ledgerly")
    owner = factories.member(workspace, Role.OWNER, name="Dana Lee")
    sam = factories.member(workspace, Role.RESEARCHER, name="Sam Carter")
    observer = factories.member(workspace, Role.OBSERVER, name="Lena Fischer")
    study = factories.study(workspace, title="Why report generation feels cumbersome")
    points = [factories.point(study, text, i) for i, text in enumerate(POINTS)]
    for n, (name, company, segment, stances, quotes) in enumerate(PEOPLE):
        person = factories.participant(workspace, name=name, company=company, segment=segment)
        interviewer = owner if n % 2 == 0 else sam
        interview = held(study, person, days_ago=30 - 5 * n, interviewer=interviewer)
        heard = [
            "A team of six loses a morning a week to reports: backs the point." if s == S else ""
            for s in stances
        ]
        summarised(interview, interviewer, points, stances=stances, heard=heard, quotes=quotes)
    waiting = factories.participant(workspace, name="Aiko Tanaka", company="Kumo Labs")
    held(study, waiting, days_ago=2, interviewer=sam)
    return Story(owner, observer, study)


def test_read_filter_and_download_the_matrix(person: Page, live_server: LiveServer, tmp_path):
    page = person
    story = a_round()
    ws = story.study.workspace.slug
    sign_in(page.context, live_server.url, story.observer)

    page.goto(f"{live_server.url}/w/{ws}/studies/{story.study.pk}/")
    page.get_by_role("link", name="Synthesis matrix").click()
    expect(page.get_by_role("heading", name="Synthesis matrix")).to_be_visible()
    table = page.get_by_role("table", name="Synthesis matrix of Why report generation")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.locator("thead th")).to_have_count(1 + len(POINTS))
    expect(table.locator("tbody tr.matrix-row--none")).to_contain_text("No summary yet.")
    expect(table.locator("tbody")).to_contain_text(RTL)
    expect(table.locator("tbody")).to_contain_text(HOSTILE)  # shown as text, never run
    first_total = table.locator("tfoot td").first
    expect(first_total).to_contain_text("Supports 2")
    expect(first_total).to_contain_text("Contradicts 1")
    screenshot(page, "matrix-01-page")

    # The wide table scrolls inside its frame: the interviews' column and the header stay.
    region = page.get_by_role("region", name="Synthesis matrix of Why report generation")
    region.focus()
    page.keyboard.press("End")
    region.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    region.evaluate("element => { element.scrollTop = 200; }")
    frame = region.bounding_box()
    who = table.locator("tbody th.matrix-who").nth(2).bounding_box()
    head = table.locator("thead th").last.bounding_box()
    assert frame is not None
    assert who is not None
    assert head is not None
    assert abs(who["x"] - frame["x"]) < 4, (who, frame)
    assert abs(head["y"] - frame["y"]) < 4, (head, frame)
    page.screenshot(path=str(ARTIFACTS / "matrix-02-scrolled.png"))

    # Filter by segment and sort, with the plain GET form.
    page.get_by_label("Segment").select_option("SMB")
    page.get_by_label("Sort by").select_option("participant")
    page.get_by_role("button", name="Apply").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody th.matrix-who").first).to_contain_text("Chloé Martin")
    expect(page.locator(".matrix-count")).to_contain_text("with segment SMB")
    expect(table.locator("tfoot td").first).to_contain_text("Supports 2")
    screenshot(page, "matrix-03-filtered")

    # A quote's time leads to its note in the wrap-up.
    quote = table.locator(".matrix-quote", has_text="Every Friday I copy").get_by_role("link")
    quote.click()
    expect(page).to_have_url(re.compile(r"/wrap-up/#note-[0-9a-f-]{36}$"))
    page.go_back()

    # The XLSX download holds the filtered rows: an observer's name participants by their
    # pseudonyms, as the page says (the workspace's default).
    expect(page.locator(".download-pseudonyms")).to_contain_text("by pseudonyms")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    today = timezone.localdate().isoformat()
    assert path.name == f"heard-matrix-why-report-generation-feels-cumbersome-{today}.xlsx"
    book = load_workbook(path)
    aliases = pseudonyms.numbers(story.study.workspace_id)
    named = {p.name: pseudonyms.label(aliases[p.pk]) for p in Participant.objects.all()}
    assert [row[1].value for row in book["Matrix"].iter_rows(min_row=3)] == [
        named["Chloé Martin"],
        named["Nickole Barros"],
    ]
    assert {row[2].value for row in book["Matrix"].iter_rows(min_row=3)} == {None}
    assert book["Quotes"].max_row == 1 + 8
