"""The scheduling flow in a real Chromium: the form's script, htmx ticks, the invitation."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from icalendar import Calendar
from playwright.sync_api import BrowserContext, expect

from heard.interviews.models import Interview
from tests.support import factories
from tests.support.browser import pick_participant, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Seen:
    guide_value: str
    length_placeholder: str
    url_before_tick: str
    url_after_tick: str
    filename: str
    ics: bytes


def drive(context: BrowserContext, base: str, session: str, pricing_guide_pk: int) -> Seen:
    """The whole visit: schedule, tick one checklist step, download the invitation."""
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    page = context.new_page()
    page.goto(f"{base}/interviews/new/")
    page.get_by_label("Study").select_option(label="Pricing")
    # The script offers only the study's guides, picks the only one and shows its length.
    expect(page.get_by_label("Guide")).to_have_value(str(pricing_guide_pk))
    seen_guide = page.get_by_label("Guide").input_value()
    seen_length = page.get_by_label("Length (minutes)").get_attribute("placeholder") or ""
    pick_participant(page, "nick", "Nickole Smith")
    page.get_by_label("Date").fill("2027-01-15")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("How you meet").select_option("video")
    page.get_by_label("Link or place").fill("https://meet.example.com/abc")
    screenshot(page, "interviews-01-schedule-form")
    page.get_by_role("button", name="Schedule interview").click()
    expect(page.get_by_role("heading", name=re.compile("Interview with Nickole"))).to_be_visible()

    checklist = page.locator("#checklist")
    expect(checklist).to_contain_text("0/7 ready")
    # The page's scripts bind the buttons once it has loaded; on a busy machine the heading
    # shows well before that, and a click then sends the form the way it does without script.
    page.wait_for_load_state("load")
    before = page.url
    water = checklist.get_by_role("button", name=re.compile("glass of water"))
    water.click()
    expect(checklist).to_contain_text("1/7 ready")
    expect(water).to_have_attribute("aria-pressed", "true")
    screenshot(page, "interviews-02-detail")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="The team's invitation (.ics)").click()
    download = download_info.value
    seen = Seen(
        guide_value=seen_guide,
        length_placeholder=seen_length,
        url_before_tick=before,
        url_after_tick=page.url,
        filename=download.suggested_filename,
        ics=download.path().read_bytes(),
    )
    return seen


def test_schedule_tick_and_download(live_server, team, context):  # type: ignore[no-untyped-def]
    study = factories.study(team.workspace, title="Reporting pains")
    other = factories.study(team.workspace, title="Pricing")
    factories.guide(study, title="Reporting guide")
    pricing_guide = factories.guide(other, title="Pricing guide")
    pricing_guide.interview_minutes = 30
    pricing_guide.save()
    factories.participant(team.workspace, name="Nickole Smith", company="Client Co")
    client = Client()
    client.force_login(team.owner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    base = f"{live_server.url}/w/{team.workspace.slug}"

    seen = drive(context, base, session, pricing_guide.pk)

    assert seen.guide_value == str(pricing_guide.pk)
    assert seen.length_placeholder == "30"
    interview = Interview.objects.get()
    assert interview.guide == pricing_guide
    assert interview.length_minutes == 30
    assert interview.local_start.hour == 10
    assert seen.url_after_tick == seen.url_before_tick  # ticked in place, no page load
    assert interview.checklist.filter(done_at__isnull=False).count() == 1
    assert seen.filename == "interview-2027-01-15-nickole-smith.ics"
    assert Calendar.from_ical(seen.ics).events[0].start.hour == 10
