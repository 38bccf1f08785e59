"""A review meeting in two real browsers: a researcher writes a finding and picks its
evidence, starts a review and presents it; an observer, in a browser of their own, votes and
challenges; each sees the other's vote and challenge without reloading; the finding becomes
disputed, and the researcher drafts a follow-up round from it.

Every step leaves a screenshot under test-artifacts/screens/review-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.guides.models import Guide
from heard.synthesis.models import Challenge, Decision, Evidence, Finding, Vote
from tests.support.browser import new_context, screenshot, sign_in, watch
from tests.support.findings import (
    CLIENTS,
    MONDAYS,
    TEN_MINUTES,
    TWO_HOURS,
    Study3,
    build_study,
)
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENT = "Small teams lose hours every week rebuilding the same reports by hand"
CHALLENGE = "Aiko's team needs ten minutes a week: it may be a habit, not a pain."


@pytest.fixture
def colleague(browser: Browser) -> Iterator[Page]:
    """The observer's own browser (cookies of its own), watched for script and CSP errors."""
    context = new_context(browser)
    page = context.new_page()
    problems = watch(page)
    yield page
    context.close()
    connections.close_all()
    assert problems == [], "\n".join(problems)


def pick(page: Page, person: str, quote: str, bearing: str) -> None:
    cell = page.locator(".pick-cell").filter(has_text=person).first
    row = cell.locator(".pick-quote").filter(has_text=quote)
    row.get_by_role("button", name=bearing, exact=True).click()
    expect(
        page.locator(".pick-cell")
        .filter(has_text=person)
        .first.locator(".pick-quote")
        .filter(has_text=quote)
        .get_by_role("button", name=bearing, exact=True)
    ).to_have_attribute("aria-pressed", "true")


def team_card(page: Page) -> Locator:
    return page.locator("#review-live")


def test_two_colleagues_review_a_finding_and_draft_a_follow_up_round(
    person: Page, colleague: Page, live_server: LiveServer, team: Team
) -> None:
    page = person
    study: Study3 = build_study(team)
    # A second finding, written earlier, resting on one interview only.
    study.finding(
        team.owner, "Clients never receive reports nobody reviewed", (1,), supports=[CLIENTS]
    )
    ws = team.workspace.slug
    sign_in(page.context, live_server.url, team.owner)
    sign_in(colleague.context, live_server.url, team.observer)

    # The findings page: one finding, a single-source warning, a chart per point.
    page.goto(f"{live_server.url}/w/{ws}/studies/{study.study.pk}/")
    page.get_by_role("link", name=re.compile(r"^1 finding")).click()
    expect(page.get_by_role("heading", name="Findings", exact=True)).to_be_visible()
    expect(page.locator(".finding-card .badge--warning-single_source")).to_have_count(1)
    expect(page.locator("svg.stance-bar")).to_have_count(3)

    # A new finding on VP1, and its evidence: a quote of Nickole, one of Tomás.
    page.get_by_role("link", name="New finding").click()
    page.get_by_label("Statement").fill(STATEMENT)
    page.get_by_role("checkbox", name=re.compile("VP1 · Small teams")).check()
    page.get_by_role("button", name="Save and pick evidence").click()
    expect(page.get_by_text("Finding saved. Now pick the evidence it rests on.")).to_be_visible()
    pick(page, "Nickole Barros", MONDAYS, "Supports")
    pick(page, "Tomás Ortega", TWO_HOURS, "Supports")
    weight = page.locator("#evidence-weight")
    expect(weight.get_by_role("row", name=re.compile("^Interviews"))).to_have_text(
        re.compile(r"Interviews\s*2\s*0")
    )
    expect(weight).not_to_contain_text("Single source")
    screenshot(page, "review-01-evidence-picker")
    page.get_by_role("link", name="Done").click()
    expect(page.locator(".evidence-side--supports .evidence")).to_have_count(2)
    screenshot(page, "review-02-finding")
    page.get_by_role("link", name="Findings", exact=True).click()
    screenshot(page, "review-03-findings")

    # Start the review, then present: the arrow keys move between findings.
    page.get_by_label("Title").fill("Reporting pains: Monday review")
    page.get_by_role("button", name="Start a review").click()
    expect(
        page.get_by_role("heading", name=re.compile("Reporting pains: Monday review"))
    ).to_be_visible()
    expect(page.locator(".board-item")).to_have_count(2)
    page.get_by_role("link", name="Presenter mode").click()
    expect(page.locator(".presenter-count")).to_contain_text("Finding 1 of 2")
    page.wait_for_load_state()  # the arrow keys work once its script has run
    page.keyboard.press("ArrowRight")
    expect(page.locator(".presenter-count")).to_contain_text("Finding 2 of 2")
    expect(page.locator(".slide-statement")).to_have_text(STATEMENT)
    page.wait_for_load_state()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".presenter-count")).to_contain_text("Finding 1 of 2")
    page.get_by_role("link", name="Next →").click()
    expect(page.locator(".slide-statement")).to_have_text(STATEMENT)
    present_url = page.url

    # Both vote agree, each in their own browser: each sees the other's vote, unreloaded.
    page.locator("#vote").get_by_role("button", name="Agree", exact=True).click()
    expect(page.locator("#vote").get_by_role("button", name="Agree", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    colleague.goto(f"{live_server.url}/w/{ws}/studies/{study.study.pk}/findings/")
    colleague.get_by_role("link", name="Join the review").click()
    colleague.get_by_role("link", name=STATEMENT).click()
    expect(colleague.locator(".slide-statement")).to_have_text(STATEMENT)
    expect(team_card(colleague)).to_contain_text("Agree 1: Olivia Owner")
    colleague.locator("#vote").get_by_role("button", name="Agree", exact=True).click()
    expect(team_card(colleague)).to_contain_text("Aligned")
    expect(team_card(page)).to_contain_text("Agree 2: Olivia Owner, Oscar Observer")
    expect(team_card(page).locator("#alignment")).to_have_text(re.compile("Aligned"))

    # The observer challenges it with Aiko's words: disputed, in the researcher's browser too.
    form = colleague.locator("form", has=colleague.get_by_label("Your challenge"))
    form.get_by_label("Your challenge").fill(CHALLENGE)
    form.get_by_label("Counter-evidence (optional)").select_option(str(study.quote(TEN_MINUTES).pk))
    form.get_by_role("button", name="Add challenge").click()
    expect(colleague.get_by_role("status")).to_contain_text("Challenge added")
    expect(team_card(colleague).locator("#alignment")).to_have_text(re.compile("Disputed"))
    expect(team_card(page).locator("#alignment")).to_have_text(re.compile("Disputed"))
    expect(team_card(page).locator(".challenge")).to_contain_text(CHALLENGE)
    expect(team_card(page).locator(".counter-evidence")).to_contain_text(TEN_MINUTES)
    screenshot(page, "review-04-presenter-disputed")
    screenshot(colleague, "review-05-observer")

    # The board, fresh in both browsers.
    page.get_by_role("link", name="Reporting pains: Monday review").click()
    disputed = page.locator(".board-item").filter(has_text=STATEMENT)
    expect(disputed.locator(".alignment")).to_have_text(re.compile("Disputed"))
    expect(disputed).to_contain_text("1 open")

    # A decision on the other finding, agreed by both.
    page.locator("#decisions summary", has_text="Record a decision").click()
    page.get_by_label("What the team decided").fill(
        "Scheduled client reports stay off the Q3 roadmap."
    )
    page.locator(".decision-form").get_by_role(
        "checkbox", name="Clients never receive reports nobody reviewed (single source)"
    ).check()
    page.locator(".decision-form").get_by_label("Olivia Owner").check()
    page.locator(".decision-form").get_by_label("Oscar Observer").check()
    # It rests on one interview: the badge is not enough, the warning must be acknowledged.
    page.get_by_role("button", name="Record decision").click()
    errors = page.locator(".decision-form .field--error")
    expect(errors).to_contain_text(
        "Tick the warnings of “Clients never receive reports nobody reviewed”"
    )
    assert Decision.objects.count() == 0
    screenshot(page, "review-06-decision-needs-acknowledgement")
    page.locator(".decision-form").get_by_role(
        "checkbox",
        name=re.compile(
            "Decide on “\u2068?Clients never receive reports nobody reviewed\u2069?” knowing this"
        ),
    ).check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#decisions .decision")).to_contain_text(
        "Scheduled client reports stay off"
    )
    expect(page.locator("#decisions .decision-acknowledged")).to_contain_text(
        "Decided on a single source, acknowledged by Olivia Owner"
    )
    screenshot(page, "review-06-board")

    # The follow-up round: a guide that drills into VP1, and whom to ask.
    page.get_by_role("link", name=re.compile("^Follow-up round")).click()
    expect(page.locator(".disputed-list")).to_contain_text(STATEMENT)
    suggestions = page.locator(".suggestion")
    expect(suggestions.first).to_contain_text("Aiko Tanaka")
    expect(page.locator(".suggestions")).to_contain_text("Priya Shah")
    expect(page.locator(".suggestions")).not_to_contain_text("Ole Berg")  # declined
    page.get_by_role("button", name="Draft the follow-up guide").click()
    expect(page.get_by_role("status")).to_contain_text("Drafted “Follow-up round: VP1”")
    screenshot(page, "review-07-round")
    colleague.goto(present_url.split("?")[0].replace("/present/", "/round/"))
    expect(colleague.get_by_role("link", name="Open the drafted guide")).to_be_visible()
    expect(colleague.get_by_role("button", name=re.compile("Draft"))).to_have_count(0)

    page.get_by_role("link", name="Open the drafted guide").click()
    expect(page.get_by_role("heading", name=re.compile("Follow-up round: VP1"))).to_be_visible()
    expect(page.get_by_text(re.compile("when did this last happen to you"))).to_be_visible()
    screenshot(page, "review-08-guide")
    page.go_back()
    page.locator(".suggestion").filter(has_text="Aiko Tanaka").get_by_role(
        "link", name=re.compile("^Schedule")
    ).click()
    # The participant comes chosen in the picker (the only one it lists before a search).
    chosen = page.get_by_role("radio", name=re.compile("^Aiko Tanaka"))
    expect(chosen).to_be_checked()
    expect(chosen).to_have_attribute("value", str(study.aiko.participant_id))
    guide = Guide.objects.get(title="Follow-up round: VP1")
    expect(page.get_by_label("Guide")).to_have_value(str(guide.pk))

    finding = Finding.objects.get(statement=STATEMENT)
    assert Evidence.objects.filter(finding=finding).count() == 2
    assert sorted(Vote.objects.values_list("voter__name", "choice")) == [
        ("Olivia Owner", "agree"),
        ("Oscar Observer", "agree"),
    ]
    challenge = Challenge.objects.get()
    assert challenge.counter_quote.text == TEN_MINUTES
    assert Decision.objects.get().agreed_by.count() == 2
    sections = list(guide.sections.values_list("title", flat=True))
    assert sections == [
        "Purpose and intros",
        "VP1: Small teams rebuild reports by hand every week",
        "Wrap-up",
    ]
