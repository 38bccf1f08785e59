"""A person sets up their calendar feed in Chromium: from their account page, makes the
address, copies it, and a calendar app (here, a plain HTTP client) reads their interview from
it; a new address stops the old one, and stopping it leaves nothing to read."""

from __future__ import annotations

import datetime
import urllib.error
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from heard.interviews.models import TeamMember, TeamRole
from tests.support import factories
from tests.support.browser import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(address: str) -> tuple[int, bytes]:
    """What a calendar app gets from `address`: no cookie, no session."""
    try:
        with urllib.request.urlopen(address, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def on_this_server(address: str, live_server_url: str) -> str:
    """The address the page shows names HEARD_BASE_URL; the test's server listens elsewhere."""
    return live_server_url + address[address.index("/calendar/") :]


def no_axe_violations(page: Page) -> None:
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_make_copy_replace_and_stop_the_calendar_address(person: Page, live_server, team):
    page = person
    study = factories.study(team.workspace, title="Reporting pains")
    interview = factories.interview(
        study,
        factories.participant(team.workspace, name="Nickole Smith", company="Client Co"),
        starts_at=timezone.now() + datetime.timedelta(days=2),
        time_zone="Europe/Berlin",
    )
    TeamMember.objects.create(interview=interview, user=team.owner, role=TeamRole.INTERVIEWER)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page.context, live_server.url, team.owner)

    page.goto(f"{live_server.url}/accounts/password/")
    card = page.get_by_role("region", name="Calendar feed")
    card.get_by_role("link", name="Set up your calendar feed").click()
    expect(page.get_by_role("heading", name="Your calendar feed", level=1)).to_be_visible()
    no_axe_violations(page)
    screenshot(page, "calendar-01-no-address")

    page.get_by_role("button", name="Make my calendar address").click()
    ready = page.get_by_role("status", name="Your calendar address is ready")
    expect(ready).to_be_visible()
    address = page.locator("#calendar-address").inner_text().strip()
    assert "/calendar/" in address
    assert address.endswith(".ics")
    ready.get_by_role("button", name="Copy address").click()
    expect(ready.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address
    webcal = ready.get_by_role("link", name="Open in your calendar app").get_attribute("href")
    assert webcal == "webcal://" + address.split("://", 1)[1]
    no_axe_violations(page)
    screenshot(page, "calendar-02-address-made")

    status, content = fetch(on_this_server(address, live_server.url))
    assert status == 200
    (event,) = Calendar.from_ical(content).events
    assert str(event["SUMMARY"]) == "Customer interview: Nickole Smith (Client Co)"
    assert event.start == interview.starts_at.replace(microsecond=0)

    page.goto(f"{live_server.url}/accounts/calendar/")
    expect(page.get_by_text(address)).to_have_count(0)
    expect(page.get_by_text("Not yet: no calendar app has fetched it.")).to_have_count(0)
    expect(page.get_by_text("1 interview", exact=True)).to_be_visible()
    no_axe_violations(page)
    screenshot(page, "calendar-03-address-live")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new address").click()
    expect(page.get_by_text("Your old address is stopped.")).to_be_visible()
    new_address = page.locator("#calendar-address").inner_text().strip()
    assert new_address != address
    assert fetch(on_this_server(address, live_server.url))[0] == 404
    assert fetch(on_this_server(new_address, live_server.url))[0] == 200
    screenshot(page, "calendar-04-address-replaced")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Stop this address").click()
    expect(page.get_by_role("status")).to_contain_text("Your calendar address is stopped")
    expect(page.get_by_role("heading", name="No calendar address yet")).to_be_visible()
    assert fetch(on_this_server(new_address, live_server.url))[0] == 404
    screenshot(page, "calendar-05-address-stopped")

    page.goto(f"{live_server.url}/accounts/password/")
    card = page.get_by_role("region", name="Calendar feed")
    expect(card.get_by_role("link", name="Set up your calendar feed")).to_be_visible()
    no_axe_violations(page)
    screenshot(page, "calendar-06-account-page")
