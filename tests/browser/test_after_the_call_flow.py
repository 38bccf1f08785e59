"""After the call, end to end in a real Chromium against the real server (`heard serve`, with
`heard worker` beside it): finish an interview in the live companion, write and send the
follow-up email through a real SMTP server, then write the interview summary from the notes
typed during the call and mark it final.

Every step leaves a screenshot under test-artifacts/screens/after-*.png.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from email.utils import parseaddr
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from heard.core.bidi import isolated
from heard.followups.models import FollowUp, MailStatus
from heard.guides.models import Question
from heard.interviews.models import Interview, InterviewStatus, Note, TeamMember, TeamRole
from heard.synthesis.models import PointSummary, Quote, Summary
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.calls import planned_study
from tests.support.live_screen import READY, note_item, save_text, saved, type_note
from tests.support.personas import Team
from tests.support.server import HeardServer
from tests.support.smtp import HOST, SENDER, LoopbackMailServer, running_smtp
from tests.support.urls import live_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSTOMER = "Zoë Ångström"
ADDRESS = "zoe@fjordkraft.example"
SUBJECT = "Thank you for your time, Zoë"
POINTS = (
    "Finance teams lose days every month-end stitching reports together by hand",
    "How do they decide what goes into the board pack?",
)
# What the interviewer types on the first question, which serves VP1 (prefixes give the kind).
QUOTE = "I dread the first week of every month"
PAIN = "Month-end close takes three full days"
KPI = "Days from month-end to the board pack"
REQUEST = "A button that builds the board report"
WHY = "The board wants the numbers by the 5th"
ROOT_PAIN = "Nobody trusts numbers stitched together from five spreadsheets"
HEARD = "Month-end costs her three days, and she dreads it: the hand-made board pack is the pain."
SENT_WITHIN_MS = 30_000  # the worker looks for tasks every second; the page every two


# Fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def mail_server() -> Iterator[LoopbackMailServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def heard_with_mail(
    transactional_db: None, mail_server: LoopbackMailServer, tmp_path: Path
) -> Iterator[HeardServer]:
    """`heard serve` that sends through `mail_server` (HEARD_EMAIL_URL), and a `heard worker`
    beside it, as on a team server: sending happens in the background, never in a request."""
    server = HeardServer()
    server.env["HEARD_EMAIL_URL"] = f"smtp://{HOST}:{mail_server.port}"
    server.env["HEARD_EMAIL_FROM"] = SENDER
    server.start()
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "heard.cli", "worker", "--no-startup-delay"],
        env=server.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield server
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
        server.stop()


@pytest.fixture
def interview(team: Team) -> Interview:
    """An interview scheduled for now, with a guide whose first two questions serve one validation point
    each (the third serves none); Olivia interviews."""
    plan = planned_study(team.workspace, POINTS, title="Month-end reporting in finance teams")
    person = factories.participant(
        team.workspace, name=CUSTOMER, email=ADDRESS, company="Fjordkraft AS", role="CFO"
    )
    interview = factories.interview(
        plan.study, person, guide=plan.guide, starts_at=timezone.now(), length_minutes=45
    )
    TeamMember.objects.create(interview=interview, user=team.owner, role=TeamRole.INTERVIEWER)
    return interview


# The flow --------------------------------------------------------------------------------------


def first_question(interview: Interview) -> Question:
    return Question.objects.get(section__guide=interview.guide, position=0)


def run_the_call(page: Page, interview: Interview) -> None:
    """Start the call, tick the first question, take notes on it, end with a promise."""
    expect(page.locator("#live")).to_have_class(READY)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#live-status")).to_have_text("In progress")
    expect(page.locator("#note-input")).to_be_focused()

    # Esc leaves the note box for the first question; n marks it answered and makes it the
    # question the notes go on.
    first = first_question(interview)
    row = page.locator(f'#question-list li.q[data-id="{first.pk}"]')
    page.keyboard.press("Escape")
    expect(row).to_be_focused()
    page.keyboard.press("n")
    expect(row.locator(".q-state")).to_have_text("Answered")
    expect(row).to_have_attribute("aria-current", "true")

    page.keyboard.press("i")
    expect(page.locator("#note-input")).to_be_focused()
    expect(page.locator("#composer-link")).to_contain_text("Question 1?")
    for prefix, text, label in (("q", QUOTE, "Quote"), ("p", PAIN, "Pain"), ("k", KPI, "KPI")):
        page.keyboard.type(f"{prefix}: ")
        expect(page.locator("#kind-chip")).to_have_text(label)
        type_note(page, text)
        saved(page, text)
        expect(note_item(page, text)).to_contain_text(label)
        expect(note_item(page, text)).to_contain_text("On “Question 1?”")

    # A solution request opens the why-ladder: one why, then the root pain with Ctrl+Enter.
    type_note(page, f"s: {REQUEST}")
    ladder = page.get_by_role("region", name="Why do they need that?")
    expect(ladder).to_be_visible()
    expect(page.locator("#ladder-input")).to_be_focused()
    type_note(page, WHY)
    expect(page.locator("#ladder-steps > li")).to_have_count(1)
    page.keyboard.type(ROOT_PAIN)
    page.keyboard.press("Control+Enter")
    expect(ladder).to_be_hidden()
    for text in (REQUEST, WHY, ROOT_PAIN):
        expect(page.locator("#note-list")).to_contain_text(text)
    expect(save_text(page)).to_have_text("All saved")
    expect(page.locator("#notes-count")).to_have_text("6 so far")
    screenshot(page, "after-01-live-notes")

    # The end: we promised to follow up.
    page.get_by_role("button", name="End the interview").click()
    dialog = page.get_by_role("dialog", name="End the interview?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("checkbox", name=re.compile("promised to follow up")).check()
    dialog.get_by_role("button", name="End and open the wrap-up").click()
    expect(page).to_have_url(re.compile(r"/wrap-up/$"))
    expect(page.get_by_role("heading", name=f"Wrap-up: {CUSTOMER}", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Time")).to_contain_text("We promised to follow up")
    expect(page.get_by_role("region", name="Notes by kind")).to_contain_text(QUOTE)
    screenshot(page, "after-02-wrapup")


def write_and_send_the_follow_up(page: Page) -> None:
    page.get_by_role("link", name="Write the follow-up email").click()
    expect(page.get_by_role("heading", name=f"Follow-up email to {CUSTOMER}")).to_be_visible()
    expect(page.get_by_label("To", exact=True)).to_have_value(ADDRESS)
    expect(page.get_by_label("Subject", exact=True)).to_have_value(SUBJECT)

    # The quote typed during the call, picked as the one thing that stayed with us.
    page.get_by_label("Quote or topic from the call").select_option(
        label=f"Quote: {isolated(QUOTE)}"
    )
    page.get_by_role("button", name="Fill in the email again").click()
    body = page.get_by_label("Text", exact=True)
    expect(body).to_have_value(re.compile(re.escape(f"stayed with us: “{QUOTE}”")))
    screenshot(page, "after-03-followup-write")
    page.get_by_role("button", name="Save the draft and preview").click()

    expect(page.get_by_role("heading", name=f"Follow-up to {CUSTOMER}")).to_be_visible()
    status = page.locator("#mail-status")
    expect(status.get_by_role("heading")).to_have_text("Draft: not sent yet")
    preview = page.get_by_role("region", name="The email")
    expect(preview).to_contain_text(f"{CUSTOMER} <{ADDRESS}>")
    expect(preview).to_contain_text(SUBJECT)
    expect(preview).to_contain_text(f"“{QUOTE}”")
    screenshot(page, "after-04-followup-preview")

    # Sending goes through the worker: queued first, then the page updates itself to "Sent".
    page.get_by_role("button", name=f"Send to {ADDRESS}").click()
    expect(page.get_by_role("status").filter(has_text="Queued")).to_contain_text(
        "Queued: it goes out in a moment."
    )
    expect(status.get_by_role("heading")).to_have_text("Sent", timeout=SENT_WITHIN_MS)
    expect(status).to_contain_text("by Olivia Owner")
    screenshot(page, "after-05-followup-sent")


def write_the_summary(page: Page) -> None:
    page.get_by_role("link", name="Interview summary").click()
    expect(page.get_by_role("heading", name=f"Summary: {CUSTOMER}")).to_be_visible()
    page.get_by_role("button", name="Start the summary").click()
    expect(page.locator("h1 .badge")).to_have_text("Draft")
    # The notes of the call are offered under VP1, the point their question serves; VP2's
    # question got none, so VP2 offers every other note of the call.
    vp1, vp2 = page.locator("section.vp-card").nth(0), page.locator("section.vp-card").nth(1)
    candidates = vp1.locator(".candidates").first.locator(".candidate-list > li")
    expect(candidates.first).to_contain_text(QUOTE)  # the customer's own words first
    for text in (PAIN, KPI, REQUEST):
        expect(candidates.filter(has_text=text)).to_have_count(1)
    expect(vp2.locator(".candidates").first.locator(".candidate-list > li")).to_have_count(0)
    expect(vp2.locator(".candidates--others .candidate-list > li").first).to_contain_text(QUOTE)
    expect(page.locator("#text-main_pains textarea")).to_have_value(
        f"- {PAIN}\n  Measured by: {KPI}\n- {ROOT_PAIN}"
    )
    screenshot(page, "after-06-summary-started")

    # VP1: the quote from the call, for the point; what we heard; supports.
    candidates.filter(has_text=QUOTE).get_by_role("button", name="Add").click()
    quote = vp1.locator(".quote-list > li").filter(has_text=QUOTE)
    expect(quote).to_have_count(1)
    quote.get_by_role("button", name="for", exact=True).click()
    expect(
        vp1.locator(".quote-list > li").get_by_role("button", name="for", exact=True)
    ).to_have_attribute("aria-pressed", "true")
    vp1.get_by_label("What we heard").fill(HEARD)
    vp1.get_by_role("button", name=re.compile("^Save what we heard")).click()
    expect(vp1.locator(".vp-heard .saved")).to_have_text("Saved")
    vp1.locator(".vp-stance").get_by_role("button", name="Supports", exact=True).click()
    expect(
        vp1.locator(".vp-stance").get_by_role("button", name="Supports", exact=True)
    ).to_have_attribute("aria-pressed", "true")
    # VP2: nothing was said about it.
    vp2.locator(".vp-stance").get_by_role("button", name="Silent", exact=True).click()
    expect(
        vp2.locator(".vp-stance").get_by_role("button", name="Silent", exact=True)
    ).to_have_attribute("aria-pressed", "true")

    # The checks: VP1 is backed by its quote; VP2, left silent, is the one to look at.
    checks = page.locator("#checks")
    expect(checks).to_contain_text("1 to look at")
    expect(checks.locator(".findings li")).to_have_text(
        ["VP2 Left silent: cover it in a follow-up or in the next interview."]
    )
    screenshot(page, "after-07-summary-checks")

    checks.get_by_label(re.compile("I looked at this check")).check()
    checks.get_by_role("button", name="Mark final").click()
    expect(page.get_by_role("status")).to_contain_text("Summary marked final.")
    expect(page.locator("h1 .badge")).to_have_text("Final")
    expect(page.get_by_role("button", name="Reopen to change it")).to_be_visible()
    expect(page.locator("section.vp-card").nth(0)).to_contain_text(HEARD)
    screenshot(page, "after-08-summary-final")


def test_finish_the_call_send_the_follow_up_and_mark_the_summary_final(
    person: Page,
    heard_with_mail: HeardServer,
    mail_server: LoopbackMailServer,
    team: Team,
    interview: Interview,
) -> None:
    page = person
    server = heard_with_mail
    sign_in(page.context, server.url, team.owner)
    page.goto(server.url + live_url("live", interview))

    run_the_call(page, interview)
    wrapup = page.url
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE
    assert interview.promised_follow_up is True
    typed = Note.objects.get(interview=interview, text=QUOTE)
    assert typed.kind == "quote"
    assert typed.author == team.owner
    assert typed.question_id == first_question(interview).pk

    write_and_send_the_follow_up(page)
    [received] = mail_server.received
    raw = received.message  # as the server got it, parsed by `email` (policy: default)
    assert received.recipients == [ADDRESS]
    assert parseaddr(str(raw["To"])) == (CUSTOMER, ADDRESS)
    assert raw["Subject"] == SUBJECT
    text = raw.get_body(preferencelist=("plain",))
    assert text is not None
    assert f"stayed with us: “{QUOTE}”" in text.get_content()
    followup = FollowUp.objects.get(interview=interview)
    assert (followup.status, followup.sent_by, followup.attempts) == (
        MailStatus.SENT,
        team.owner,
        1,
    )

    page.goto(wrapup)
    write_the_summary(page)
    summary = Summary.objects.get(interview=interview)
    assert summary.is_final
    assert summary.finalised_by == team.owner
    assert [c["check"] for c in summary.acknowledged_checks] == ["silent"]
    stances = dict(PointSummary.objects.values_list("point__position", "stance"))
    assert stances == {0: "supports", 1: "silent"}
    [quote] = Quote.objects.all()
    assert quote.point_summary.point.position == 0
    assert (quote.note_id, quote.text, quote.bearing) == (typed.pk, QUOTE, "for")
    assert quote.source_seconds == typed.elapsed_seconds
    assert PointSummary.objects.get(point__position=0).what_we_heard == HEARD
