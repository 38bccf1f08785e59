"""The schedule form's participant picker in a real Chromium: by keyboard, announced, and
without JavaScript."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from heard.interviews.models import Interview
from heard.participants.models import Participant
from tests.support import factories
from tests.support.browser import new_context, screenshot, sign_in
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def directory(team: Team) -> dict[str, Participant]:
    Participant.objects.bulk_create(
        Participant(workspace=team.workspace, name=f"Person {i:03d}", company="Filler Inc")
        for i in range(300)
    )
    return {
        name: factories.participant(team.workspace, name=name, company=company)
        for name, company in (
            ("Ada Lovelace", "Analytical Engines"),
            ("Nickole Smith", "Client Co"),
            ("Sam Smithers", "Smithers & Sons"),
            ("Grace Hopper", "US Navy"),
        )
    }


def fill_the_rest(page: Page) -> None:
    page.get_by_label("Date").fill("2027-01-15")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("How you meet").select_option("video")


def test_the_picker_searches_as_one_types_and_works_by_keyboard(
    person: Page, live_server: LiveServer, team: Team
) -> None:
    page = person
    factories.study(team.workspace, title="Reporting pains")
    people = directory(team)
    sign_in(page.context, live_server.url, team.owner)
    base = f"{live_server.url}/w/{team.workspace.slug}"

    # Preselected from the address: the only one listed before a search, and chosen.
    page.goto(f"{base}/interviews/new/?participant={people['Ada Lovelace'].pk}")
    page.get_by_label("Study").select_option(label="Reporting pains")
    picker = page.locator("[data-picker]")
    expect(picker.get_by_role("radio")).to_have_count(1)
    expect(picker.get_by_role("radio", name=re.compile("^Ada Lovelace"))).to_be_checked()
    box = page.get_by_label("Participant", exact=True)
    expect(box).to_have_accessible_description(re.compile("search the directory, then pick"))
    status = picker.get_by_role("status")
    expect(status).to_have_text("Type part of a name, company or email, then pick the person.")

    box.press_sequentially("smith", delay=30)
    expect(status).to_have_text("2 participants match “smith”.")
    # Ada stays listed and chosen until someone else is picked.
    expect(picker.get_by_role("radio")).to_have_count(3)
    expect(picker.get_by_role("radio").first).to_have_accessible_name(re.compile("^Ada Lovelace"))
    screenshot(page, "picker-01-search")

    # Enter searches (it does not send the form); its answer is slow to come, and meanwhile
    # the person moves down the list: the answer must not undo their pick.
    slow: list[str] = []

    def answer_late(route: Route) -> None:
        slow.append(route.request.url)
        time.sleep(1)
        route.continue_()

    page.route(re.compile(r"/participants/picker/"), answer_late)
    with page.expect_response(re.compile(r"/participants/picker/")):
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/interviews/new/\?participant=\d+$"))
        box.press("ArrowDown")
        expect(picker.get_by_role("radio", name=re.compile("^Ada Lovelace"))).to_be_focused()
        page.keyboard.press("ArrowDown")  # the arrows move through the people found
    page.unroute(re.compile(r"/participants/picker/"))
    nickole = picker.get_by_role("radio", name=re.compile("^Nickole Smith"))
    expect(nickole).to_be_checked()
    expect(nickole).to_be_focused()
    expect(status).to_have_text("2 participants match “smith”.")
    assert slow

    # Searching again keeps the one picked, listed first.
    box.fill("grace")
    expect(status).to_have_text("1 participant matches “grace”.")
    expect(picker.get_by_role("radio")).to_have_count(2)
    expect(nickole).to_be_checked()
    screenshot(page, "picker-02-picked")

    fill_the_rest(page)
    page.get_by_label("Link or place").fill("https://meet.example.com/abc")
    page.get_by_label("Link or place").press("Enter")  # Enter elsewhere sends the form
    expect(page.get_by_role("heading", name=re.compile("Interview with Nickole"))).to_be_visible()
    assert Interview.objects.get().participant == people["Nickole Smith"]


def test_the_picker_works_without_javascript(
    browser: Browser, live_server: LiveServer, team: Team
) -> None:
    factories.study(team.workspace, title="Reporting pains")
    people = directory(team)
    context = new_context(browser, java_script_enabled=False)
    sign_in(context, live_server.url, team.owner)
    page = context.new_page()
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/interviews/new/")
    page.get_by_label("Study").select_option(label="Reporting pains")
    fill_the_rest(page)
    page.get_by_label("Participant", exact=True).fill("hopper")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"participant_q=hopper"))
    expect(page.get_by_role("status")).to_have_text("1 participant matches “hopper”.")
    expect(page.get_by_label("Date")).to_have_value("2027-01-15")  # kept through the search
    page.get_by_role("radio", name=re.compile("^Grace Hopper")).check()
    screenshot(page, "picker-03-without-javascript")
    page.get_by_role("button", name="Schedule interview").click()
    expect(page.get_by_role("heading", name=re.compile("Interview with Grace"))).to_be_visible()
    assert Interview.objects.get().participant == people["Grace Hopper"]
    context.close()
