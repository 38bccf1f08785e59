"""A note thousands of characters long takes a few lines, with "Show all" (a button, reached
and pressed by keyboard), on the live screen, the wrap-up and the interview page; short notes
have no button. Screenshots: test-artifacts/screens/long-notes-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from heard.interviews.live import milestones
from heard.interviews.models import Interview, Note, NoteKind, TeamMember, TeamRole
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.live_screen import READY, note_item
from tests.support.personas import Team
from tests.support.server import HeardServer
from tests.support.urls import live_url, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "\n".join(
    f"Line {n}: the month-end pack is stitched together from five spreadsheets by hand."
    for n in range(1, 41)
)
SHORT = "They print the pack for the board."


def height(element: Locator) -> float:
    box = element.bounding_box()
    assert box is not None
    return box["height"]


def opens_by_keyboard(page: Page, text: Locator, toggle: Locator, key: str) -> None:
    """The toggle opens the text from the keyboard, and closes it again."""
    expect(text).to_have_class(re.compile(r"\bis-clamped\b"))
    expect(toggle).to_have_text("Show all")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    closed = height(text)
    assert closed < 200
    toggle.focus()
    page.keyboard.press(key)
    expect(toggle).to_have_text("Show less")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(text).not_to_have_class(re.compile(r"\bis-clamped\b"))
    assert height(text) > 4 * closed
    expect(toggle).to_be_focused()


@pytest.fixture
def interview(team: Team) -> Interview:
    study = factories.study(team.workspace, title="Reporting pains")
    person = factories.participant(team.workspace, name="Zoë Ångström", company="Fjordkraft AS")
    interview = factories.interview(study, person, length_minutes=45)
    TeamMember.objects.create(
        interview=interview, user=team.owner, role=TeamRole.INTERVIEWER, seniority=1
    )
    milestones.start(interview, team.owner)
    interview.refresh_from_db()
    return interview


def test_a_long_note_shows_a_few_lines_until_opened(
    person: Page, heard_server: HeardServer, team: Team, interview: Interview
) -> None:
    page = person
    long = Note.objects.create(
        interview=interview, author=team.owner, kind=NoteKind.QUOTE, text=LONG, elapsed_seconds=60
    )
    Note.objects.create(interview=interview, author=team.owner, text=SHORT, elapsed_seconds=90)
    sign_in(page.context, heard_server.url, team.owner)

    # The live screen.
    page.goto(heard_server.url + live_url("live", interview))
    expect(page.locator("#live")).to_have_class(READY)
    item = note_item(page, "Line 1:")
    toggle = item.get_by_role("button", name=re.compile("^Show"))
    expect(toggle).to_be_visible()
    expect(note_item(page, SHORT).locator(".clamp-toggle")).to_be_hidden()
    screenshot(page, "long-notes-01-live")
    opens_by_keyboard(page, item.locator(".note-text"), toggle, "Enter")
    screenshot(page, "long-notes-02-live-open")
    # Ending the call redraws every note (nobody edits them any more): this one stays open.
    milestones.end(interview, team.owner, promised_follow_up=False)
    expect(item.locator('[data-action="edit"]')).to_have_count(0)
    expect(item.get_by_role("button", name="Show less")).to_be_visible()

    # The wrap-up: the same, without the live screen's script.
    page.goto(heard_server.url + url("interviews:wrapup", team, pk=interview.pk))
    item = page.locator(f"#note-{long.pk}")
    toggle = item.get_by_role("button", name=re.compile("^Show"))
    expect(toggle).to_be_visible()
    expect(
        page.locator(".note-list li").filter(has_text=SHORT).locator(".clamp-toggle")
    ).to_be_hidden()
    screenshot(page, "long-notes-03-wrapup")
    opens_by_keyboard(page, item.locator("q"), toggle, "Space")
    page.keyboard.press("Space")
    expect(toggle).to_have_text("Show all")
    expect(item.locator("q")).to_have_class(re.compile(r"\bis-clamped\b"))

    # The interview page lists the notes too.
    page.goto(heard_server.url + url("interviews:detail", team, pk=interview.pk))
    expect(page.get_by_role("button", name="Show all")).to_have_count(1)
    screenshot(page, "long-notes-04-interview")
