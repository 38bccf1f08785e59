"""Interview times in lists, in a real Chromium: each list names the zone beside each time (a
list mixes zones, and 14:30 in Jerusalem comes before 13:00 in London), and readiness shows
only while the call is ahead: not once it was held, nor when it was cancelled.

Screenshots: test-artifacts/screens/times-*.png.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.accounts.models import Role
from heard.interviews import scheduling, services
from heard.interviews.models import Interview, InterviewStatus
from heard.studies.models import Study
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.matrix import held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = re.compile(r"\d+/\d+ ready|no checklist")


def at(day: datetime.date, clock: str, zone: str) -> datetime.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), zoneinfo.ZoneInfo(zone))


def booked(study: Study, name: str, start: datetime.datetime, **fields: object) -> Interview:
    """An interview scheduled as the form does: with its prep checklist."""
    person = factories.participant(study.workspace, name=name)
    interview = Interview(
        study=study, participant=person, starts_at=start, time_zone=str(start.tzinfo), **fields
    )
    return scheduling.schedule_interview(interview, study.workspace.memberships.first().user)


def line_of(page: Page, region: str, name: str) -> Locator:
    card = page.get_by_role("region", name=region)
    return card.locator("p, tr").filter(has_text=name)


def test_lists_name_each_zone_and_drop_readiness_once_held(
    person: Page, live_server: LiveServer
) -> None:
    workspace = factories.workspace("Ledgerly")
    owner = factories.member(workspace, Role.OWNER, name="Dana Lee")
    study = factories.study(workspace, title="Reporting pains")
    # A January day next year: standard time in both zones, and still ahead.
    day = datetime.date(timezone.localdate().year + 1, 1, 14)
    booked(study, "Noa Levi", at(day, "14:30", "Asia/Jerusalem"))
    booked(study, "Olly Jones", at(day, "13:00", "Europe/London"))
    booked(study, "Rashid Khan", at(day, "16:00", "Asia/Dubai"))
    booked(study, "Called Off", at(day, "09:00", "Europe/Berlin"), status=InterviewStatus.CANCELLED)
    done = held(study, factories.participant(workspace, name="Hana Held"), days_ago=3)
    services.apply_checklist(done)
    sign_in(person.context, live_server.url, owner)
    base = f"{live_server.url}/w/{workspace.slug}"

    person.goto(f"{base}/studies/{study.pk}/")
    card = "Interviews"
    expect(line_of(person, card, "Noa Levi")).to_contain_text("14:30\u00a0IST")
    expect(line_of(person, card, "Olly Jones")).to_contain_text("13:00\u00a0GMT")
    expect(line_of(person, card, "Rashid Khan")).to_contain_text("16:00\u00a0UTC+04")
    expect(line_of(person, card, "Noa Levi").locator("abbr")).to_have_attribute(
        "title", "Asia/Jerusalem"
    )
    expect(line_of(person, card, "Noa Levi")).to_contain_text("0/7 ready")
    for name in ("Hana Held", "Called Off"):
        expect(line_of(person, card, name)).not_to_contain_text(READY)
        expect(line_of(person, card, name).locator(".meter")).to_have_count(0)
    expect(line_of(person, card, "Hana Held")).to_contain_text("Done")
    screenshot(person, "times-01-study-page")

    person.goto(f"{base}/interviews/")
    rows = person.locator("table.interview-table tbody tr")
    # In the order they happen: 12:00, 12:30 and 13:00 in UTC.
    expect(rows.locator("td:first-child a")).to_have_text(
        [
            re.compile("16:00\u00a0UTC\\+04$"),
            re.compile("14:30\u00a0IST$"),
            re.compile("13:00\u00a0GMT$"),
        ]
    )
    expect(rows.filter(has_text="Noa Levi")).to_contain_text("0/7 ready")
    screenshot(person, "times-02-interviews-upcoming")
    person.goto(f"{base}/interviews/?view=past")
    for name in ("Hana Held", "Called Off"):
        row = rows.filter(has_text=name)
        expect(row).to_have_count(1)
        expect(row.locator(".meter")).to_have_count(0)
    screenshot(person, "times-03-interviews-past")

    person.goto(f"{base}/")
    home = line_of(person, "Upcoming interviews", "Olly Jones")
    expect(home).to_contain_text("13:00\u00a0GMT")
    expect(home).to_contain_text("0/7 ready")
    screenshot(person, "times-04-home")

    person.goto(f"{base}/participants/{done.participant_id}/")
    row = line_of(person, "Interviews", "Reporting pains")
    expect(row).to_contain_text("Done")
    expect(row.locator("abbr")).to_have_text(done.local_start.tzname() or "")
    screenshot(person, "times-05-participant")
