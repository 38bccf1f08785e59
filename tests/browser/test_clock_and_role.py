"""What the live screen, the participant page and the guide's hard copy say about time and
about who the customer is, in a real Chromium whose language is American English: the clock
is Heard's 24-hour one all the same, and a guide's "Role" profile field does not repeat the
participant's role.

Screenshots: test-artifacts/screens/formats-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from heard.guides.models import ProfileField
from heard.interviews.live import milestones
from heard.interviews.models import Consent, Interview, TeamMember, TeamRole
from tests.support import factories
from tests.support.browser import screenshot, sign_in, watch
from tests.support.live_screen import READY
from tests.support.personas import Team
from tests.support.server import HeardServer
from tests.support.urls import live_url, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE = "Head of Marketing"
CLOCK = re.compile(r"^\d\d:\d\d$")


@pytest.fixture
def american(browser: Browser) -> Iterator[BrowserContext]:
    """A browser set to American English, whose own clock would say "02:05 PM"."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="America/New_York"
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def interview(team: Team) -> Interview:
    """A call under way whose guide asks for the customer's role (as the built-in template
    does) and their team size; the participant's role is known, the team size too."""
    study = factories.study(team.workspace, title="Reporting pains")
    guide = factories.guide(study, questions=2)
    ProfileField.objects.create(guide=guide, key="role", label="Role", position=0)
    ProfileField.objects.create(guide=guide, key="team_size", label="Team size", position=1)
    person = factories.participant(
        team.workspace, name="Zoë Ångström", role=ROLE, profile={"team_size": "6"}
    )
    interview = factories.interview(study, person, guide=guide)
    TeamMember.objects.create(interview=interview, user=team.owner, role=TeamRole.INTERVIEWER)
    milestones.start(interview, team.owner)
    milestones.record_consent(interview, team.owner, Consent.YES)
    return interview


def test_a_24_hour_clock_and_the_role_said_once(
    american: BrowserContext, heard_server: HeardServer, team: Team, interview: Interview
) -> None:
    sign_in(american, heard_server.url, team.owner)
    page: Page = american.new_page()
    problems = watch(page)
    page.goto(heard_server.url + live_url("live", interview))
    expect(page.locator("#live")).to_have_class(READY)

    started = page.locator("#start-help")
    expect(started).to_have_text(re.compile(r"^Started at \d\d:\d\d\.$"))
    consent = page.locator("#consent-result")
    expect(consent).to_have_text(re.compile(r"Asked by Olivia Owner at \d\d:\d\d\.$"))
    assert not re.search(r"AM|PM", f"{started.text_content()} {consent.text_content()}")

    know = page.locator("#know")
    expect(know.locator(".know-who")).to_contain_text(f"Zoë Ångström, {ROLE}")
    expect(know.locator("dt")).to_have_text(["Team size"])
    expect(know).to_contain_text(ROLE)
    assert (know.text_content() or "").count(ROLE) == 1
    screenshot(page, "formats-01-live-en-us")

    page.goto(heard_server.url + url("participants:detail", team, pk=interview.participant_id))
    contact = page.get_by_role("region", name="Contact", exact=True)
    profile = page.get_by_role("region", name="Customer profile")
    expect(contact).to_contain_text(f"Role{ROLE}")
    expect(profile.locator("dt")).to_have_text(["Team size"])
    screenshot(page, "formats-02-participant")

    hard_copy = url("guides:print", team, pk=interview.guide_id) + f"?interview={interview.pk}"
    page.goto(heard_server.url + hard_copy)
    customer = page.get_by_role("region", name="Customer")
    expect(customer.locator("div").filter(has=page.locator("dt", has_text="Role"))).to_have_text(
        f"Role{ROLE}"
    )
    expect(page.locator(".sheet-meeting dd").first).to_have_text(
        re.compile(r"\d\d:\d\d\u00a0CES?T$")
    )
    screenshot(page, "formats-03-hard-copy")
    assert problems == []
