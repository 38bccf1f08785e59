"""The customer's words stay marked as theirs, and only theirs, in a real Chromium: a final
summary with a reworded quote and a note the team typed in its own words, read in the matrix,
the evidence picker and presenter mode.

Every step leaves a screenshot under test-artifacts/screens/words-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.synthesis.reviews import services as review
from tests.support.browser import screenshot, sign_in
from tests.support.findings import (
    BOARD,
    EFFICIENT,
    PARAPHRASE,
    REWORDED,
    build_study,
    edit_words,
)
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_marked(where: Locator) -> None:
    """Her words in quotation marks; the reworded quote marked, her words one click away;
    the team's note with no quotation marks, and said to be the team's."""
    expect(where.locator(".quote-words--said").filter(has_text=BOARD).first).to_have_text(
        f"“{BOARD}”"
    )
    reworded = where.locator(".quote-words--said").filter(has_text=REWORDED).first
    expect(reworded).to_have_text(f"“{REWORDED}”")
    source = where.locator(".quote-source").filter(has_text="The note says").first
    expect(source).to_be_visible()
    expect(source.locator("p")).to_be_hidden()
    source.locator("summary").click()
    expect(source.locator("p")).to_have_text(f"The note says: “{EFFICIENT}”")
    team_note = where.locator(".quote-words--team").filter(has_text=PARAPHRASE).first
    expect(team_note).to_be_visible()
    expect(team_note).to_have_text(f"Team's note (note), not their words: {PARAPHRASE}")
    expect(where.get_by_text(f"“{PARAPHRASE}")).to_have_count(0)


def test_edited_quotes_and_team_notes_are_marked_wherever_quotes_are_read(
    person: Page, live_server: LiveServer, team: Team
) -> None:
    page = person
    study = build_study(team)
    edit_words(study, team.owner)
    finding = study.finding(team.owner, "Small teams lose a morning a week", (0, 1))
    meeting = review.start_review(study.study, team.owner, "Monday review")
    ws = team.workspace.slug
    sign_in(page.context, live_server.url, team.owner)

    # The final summary.
    page.goto(f"{live_server.url}/w/{ws}/interviews/{study.nickole.pk}/summary/")
    expect(page.locator("h1 .badge")).to_have_text("Final")
    expect_marked(page.locator("main"))
    screenshot(page, "words-01-summary")

    # The matrix.
    page.goto(f"{live_server.url}/w/{ws}/studies/{study.study.pk}/matrix/")
    expect_marked(page.locator("table.matrix"))
    screenshot(page, "words-02-matrix")

    # The evidence picker: pick the three of them for the finding.
    page.goto(f"{live_server.url}/w/{ws}/studies/{study.study.pk}/findings/{finding.pk}/evidence/")
    picker = page.locator(".pick-cell").filter(has_text="Nickole Barros").first
    expect_marked(page.locator("main"))
    for words in (BOARD, REWORDED, PARAPHRASE):
        row = page.locator(".pick-quote").filter(has_text=words)
        row.get_by_role("button", name="Supports", exact=True).click()
        expect(
            page.locator(".pick-quote")
            .filter(has_text=words)
            .get_by_role("button", name="Supports", exact=True)
        ).to_have_attribute("aria-pressed", "true")
    expect(picker).to_be_visible()
    screenshot(page, "words-03-picker")

    # Presenter mode.
    page.goto(f"{live_server.url}/w/{ws}/reviews/{meeting.pk}/present/?finding={finding.pk}")
    expect_marked(page.locator(".evidence-columns"))
    screenshot(page, "words-04-presenter")
