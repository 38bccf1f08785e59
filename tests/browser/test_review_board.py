"""The review board in real browsers: a researcher presents and an observer follows, the
observer's screen moving with the presenter (but not while they write a challenge); each
votes and challenges on the board itself, with htmx and without JavaScript, and what one
types on the board survives the board's own updates.

Screenshots: test-artifacts/screens/review-board-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.synthesis.models import Challenge, Vote
from tests.support.browser import new_context, screenshot, sign_in, watch
from tests.support.findings import CLIENTS, MONDAYS, TWO_HOURS, build_study
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Small teams lose hours every week rebuilding reports"
SECOND = "Clients never receive reports nobody reviewed"
# A follower's poll comes every 3 seconds; allow for a slow machine.
FOLLOWS_MS = 10_000


@pytest.fixture
def colleague(browser: Browser) -> Iterator[Page]:
    """The observer's own browser, watched for script and CSP errors."""
    context = new_context(browser)
    page = context.new_page()
    problems = watch(page)
    yield page
    context.close()
    connections.close_all()
    assert problems == [], "\n".join(problems)


def card(page: Page, statement: str):  # type: ignore[no-untyped-def]
    return page.locator(".board-item").filter(has_text=statement)


def test_follow_the_presenter_and_take_part_on_the_board(
    person: Page, colleague: Page, browser: Browser, live_server: LiveServer, team: Team
) -> None:
    page = person
    study = build_study(team)
    study.finding(team.owner, FIRST, supports=[MONDAYS, TWO_HOURS])
    study.finding(team.owner, SECOND, (1,), supports=[CLIENTS])
    sign_in(page.context, live_server.url, team.owner)
    sign_in(colleague.context, live_server.url, team.observer)
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/studies/{study.study.pk}/findings/")
    page.get_by_role("button", name="Start a review").click()
    board = page.url

    # The researcher presents the first finding to everyone.
    page.get_by_role("link", name="Presenter mode").click()
    page.get_by_role("button", name="Present to everyone").click()
    expect(page.locator(".presenting-bar")).to_contain_text("You are presenting")

    # The observer, on the board, follows.
    colleague.goto(board)
    expect(colleague.locator(".presenting-line")).to_contain_text(
        "Olivia Owner is presenting finding 1"
    )
    colleague.get_by_role("link", name="Follow the presenter").click()
    expect(colleague.locator(".slide-statement")).to_have_text(FIRST)
    expect(colleague.locator(".presenting-bar")).to_contain_text("Following Olivia Owner")

    # The presenter moves on with the arrow key: the follower's screen follows.
    page.wait_for_load_state()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".slide-statement")).to_have_text(SECOND)
    expect(colleague.locator(".slide-statement")).to_have_text(SECOND, timeout=FOLLOWS_MS)
    screenshot(colleague, "review-board-01-following")

    # Not while the follower writes a challenge: the words would be lost.
    colleague.get_by_label("Your challenge").fill("Only Tomás said so.")
    page.wait_for_load_state()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".slide-statement")).to_have_text(FIRST)
    expect(colleague.locator("#follow-paused")).to_be_visible(timeout=FOLLOWS_MS)
    expect(colleague.locator(".slide-statement")).to_have_text(SECOND)
    colleague.get_by_label("Your challenge").fill("")
    expect(colleague.locator(".slide-statement")).to_have_text(FIRST, timeout=FOLLOWS_MS)

    # On the board: the researcher starts a challenge; the observer votes meanwhile.
    page.goto(board)
    second = card(page, SECOND)
    second.get_by_text("Challenge it").click()
    words = "One customer is not a pattern."
    second.get_by_label("Your challenge").fill(words)
    colleague.goto(board)
    theirs = card(colleague, SECOND)
    theirs.get_by_role("button", name="Disagree").click()
    expect(theirs.get_by_role("button", name="Disagree")).to_have_attribute("aria-pressed", "true")
    # The researcher's board shows the vote, and keeps the words typed and the box focused.
    expect(second.locator(".tally")).to_contain_text("Disagree 1: Oscar", timeout=FOLLOWS_MS)
    expect(second.get_by_label("Your challenge")).to_have_value(words)
    expect(second.get_by_label("Your challenge")).to_be_focused()
    screenshot(page, "review-board-02-typing-kept")
    second.get_by_role("button", name="Add challenge").click()
    expect(page.get_by_role("status")).to_contain_text("Challenge added")
    expect(card(page, SECOND).locator(".alignment")).to_have_text(re.compile("Disputed"))
    screenshot(page, "review-board-03-board")

    # Without JavaScript, the same forms work as plain forms.
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        sign_in(plain, live_server.url, team.teammate)
        tom = plain.new_page()
        tom.goto(board)
        first = card(tom, FIRST)
        first.get_by_role("button", name="Agree", exact=True).click()
        expect(card(tom, FIRST).get_by_role("button", name="Agree", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        card(tom, FIRST).get_by_text("Challenge it").click()
        card(tom, FIRST).get_by_label("Your challenge").fill("Two hours is month end only.")
        card(tom, FIRST).get_by_role("button", name="Add challenge").click()
        expect(tom.get_by_role("status")).to_contain_text("Challenge added")
        screenshot(tom, "review-board-04-without-javascript")
    finally:
        plain.close()

    votes = sorted(Vote.objects.values_list("voter__name", "finding__statement", "choice"))
    assert votes == [("Oscar Observer", SECOND, "disagree"), ("Tom Teammate", FIRST, "agree")]
    assert sorted(Challenge.objects.values_list("author__name", flat=True)) == [
        "Olivia Owner",
        "Tom Teammate",
    ]
