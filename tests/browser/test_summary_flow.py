"""Writing an interview summary in a real Chromium: from the wrap-up of a finished call to a
final summary, its printable page and its Markdown file.

The call is run through the live rules (start, notes with a why-ladder, end); then a person
starts the summary, picks quotes from the candidates, marks them for or against, writes what
they heard, sets the stances, reads the objectivity checks and marks it final.

Every step leaves a screenshot under test-artifacts/screens/summary-*.png.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.accounts.models import Role, User
from heard.interviews.live import milestones, notes
from heard.interviews.models import Interview, NoteKind, TeamMember, TeamRole
from heard.synthesis.models import PointSummary, Quote, Summary
from tests.support import factories
from tests.support.browser import ARTIFACTS, screenshot, sign_in
from tests.support.calls import planned_study

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = (
    "Small teams spend more than two hours a week building reports by hand",
    "Customers would trust reports sent on a schedule, unreviewed",
    "How do customers measure the efficiency of their reporting?",
)
MONDAYS = "Every Monday morning goes to rebuilding the same six reports."
HOURS = "Rebuilding reports by hand takes her about three hours a week"
BOARD = "I would never send the board anything I have not looked at twice."
DIGEST = "Happy to let the internal weekly digest go out on its own"
KPI = "Hours per campaign report: about three today"
REQUEST = "Automatic scheduling of reports"
WHY = "So that Monday mornings are free for the campaigns"
ROOT = "The team is too small to lose a morning a week"
FOLLOW_UP = "Send her the beta of scheduled reports"
HTML_NOTE = 'Uses <b>Looker</b> & "Sheets" <script>alert(1)</script>'
COMPANY = "<i>Brightpath</i> & Co"
HEARD_VP1 = "A six-person team loses a morning a week to rebuilding reports: well over two hours."


@dataclass
class Story:
    owner: User
    interview: Interview


def finished_call() -> Story:
    """A study with three points and a guide, and a call run through the live rules."""
    workspace = factories.workspace("Ledgerly")
    owner = factories.member(workspace, Role.OWNER, name="Dana Lee")
    notetaker = factories.member(workspace, Role.RESEARCHER, name="Sam Carter")
    plan = planned_study(workspace, POINTS, title="Why report generation feels cumbersome")
    questions = plan.questions
    person = factories.participant(
        workspace, name="Zoë Ångström", company=COMPANY, role="Head of Marketing"
    )
    interview = factories.interview(plan.study, person, guide=plan.guide)
    TeamMember.objects.create(interview=interview, user=owner, role=TeamRole.INTERVIEWER)
    TeamMember.objects.create(interview=interview, user=notetaker, role=TeamRole.NOTETAKER)
    milestones.start(interview, owner)

    def note(kind: str, text: str, minute: int, question: int | None = None, **more: str) -> str:
        note_id = str(uuid.uuid4())
        data = {
            "id": note_id,
            "kind": kind,
            "text": text,
            "elapsed_seconds": minute * 60 + 7,
            "question": questions[question].pk if question is not None else None,
        }
        notes.save_note(interview, notetaker if minute % 2 else owner, data | more)
        return note_id

    note(NoteKind.QUOTE, MONDAYS, 4, 0)
    note(NoteKind.PAIN, HOURS, 5, 0)
    note(NoteKind.KPI, KPI, 6, 2)
    request = note(NoteKind.SOLUTION_REQUEST, REQUEST, 8)
    note(NoteKind.WHY, WHY, 9, ladder_of=request)
    note(NoteKind.PAIN, ROOT, 10, ladder_of=request)
    note(NoteKind.QUOTE, BOARD, 14, 1)
    note(NoteKind.NOTE, DIGEST, 16, 1)
    note(NoteKind.NOTE, HTML_NOTE, 25)
    note(NoteKind.FOLLOW_UP, FOLLOW_UP, 38)
    milestones.end(interview, owner, promised_follow_up=True)
    return Story(owner, interview)


def point_card(page: Page, number: int) -> Locator:
    return page.locator("section.vp-card").nth(number - 1)


def add_candidate(card: Locator, text: str) -> None:
    candidate = card.locator(".candidate-list > li").filter(has_text=text)
    candidate.get_by_role("button", name="Add").click()
    expect(card.locator(".quote-list .quote-words").filter(has_text=text)).to_have_count(1)


def mark(card: Locator, text: str, bearing: str) -> None:
    quote = card.locator(".quote-list > li").filter(has_text=text)
    quote.get_by_role("button", name=bearing, exact=True).click()
    expect(
        card.locator(".quote-list > li")
        .filter(has_text=text)
        .get_by_role("button", name=bearing, exact=True)
    ).to_have_attribute("aria-pressed", "true")


def write_heard(card: Locator, text: str) -> None:
    card.get_by_label("What we heard").fill(text)
    card.get_by_role("button", name=re.compile("^Save what we heard")).click()
    expect(card.locator(".vp-heard .saved")).to_have_text("Saved")


def set_stance(card: Locator, stance: str) -> None:
    card.locator(".vp-stance").get_by_role("button", name=stance, exact=True).click()
    expect(
        card.locator(".vp-stance").get_by_role("button", name=stance, exact=True)
    ).to_have_attribute("aria-pressed", "true")


def test_write_a_summary_from_the_candidates_and_mark_it_final(
    person: Page, live_server: LiveServer
) -> None:
    page = person
    story = finished_call()
    interview = story.interview
    ws = interview.study.workspace.slug
    sign_in(page.context, live_server.url, story.owner)

    # From the wrap-up of the call to an empty summary, pre-filled from the notes.
    page.goto(f"{live_server.url}/w/{ws}/interviews/{interview.pk}/wrap-up/")
    page.get_by_role("link", name="Interview summary").click()
    expect(page.get_by_role("heading", name="Summary: Zoë Ångström")).to_be_visible()
    page.get_by_role("button", name="Start the summary").click()
    checks = page.locator("#checks")
    expect(checks).to_contain_text("3 to look at")
    expect(checks.locator(".findings li")).to_have_count(3)
    pains = page.locator("#text-main_pains")
    expect(pains.get_by_label("Main pains and how they measure them")).to_have_value(
        f"- {HOURS}\n  Measured by: {KPI}\n- {ROOT}"
    )
    expect(page.locator("#text-solution_requests textarea")).to_have_value(
        f"- {REQUEST}\n  Root pain: {ROOT}"
    )
    expect(page.locator("#unlinked")).to_contain_text(HTML_NOTE)
    expect(page.locator(".page-head")).to_contain_text(COMPANY)
    screenshot(page, "summary-01-started")

    # VP1: two quotes from the candidates, both for it; what we heard; supports.
    vp1 = point_card(page, 1)
    expect(vp1.locator(".candidate-list > li").first).to_contain_text(MONDAYS)  # quotes first
    add_candidate(vp1, MONDAYS)
    add_candidate(vp1, HOURS)
    mark(vp1, MONDAYS, "for")
    mark(vp1, HOURS, "for")
    write_heard(vp1, HEARD_VP1)
    set_stance(vp1, "Supports")

    # VP2: one quote against, one for: mixed.
    vp2 = point_card(page, 2)
    add_candidate(vp2, BOARD)
    add_candidate(vp2, DIGEST)
    mark(vp2, BOARD, "against")
    mark(vp2, DIGEST, "for")
    write_heard(vp2, "Internal reports may go unreviewed; anything for the board may not.")
    set_stance(vp2, "Mixed")

    # VP3: the KPI, reworded: the checks notice.
    vp3 = point_card(page, 3)
    add_candidate(vp3, KPI)
    mark(vp3, KPI, "for")
    quote = vp3.locator(".quote-list > li").filter(has_text=KPI)
    quote.locator("summary", has_text="Edit words").click()
    quote.get_by_label("Words of the quote").fill("About three hours per campaign report")
    quote.get_by_role("button", name="Save quote").click()
    expect(vp3.locator(".badge--edited")).to_be_visible()
    write_heard(vp3, "Hours per campaign report, about three today: a number we could move.")
    set_stance(vp3, "Supports")

    # The team's own words on surprises, saved alone.
    surprises = page.locator("#text-surprises")
    surprises.get_by_label("Surprises").fill("She prints every report before she sends it.")
    surprises.get_by_role("button", name=re.compile("^Save")).click()
    expect(surprises.locator(".saved")).to_have_text("Saved")

    expect(checks.locator(".findings li")).to_have_count(1)
    expect(checks).to_contain_text("A quote is not the note's words any more")
    screenshot(page, "summary-02-editor")
    checks.scroll_into_view_if_needed()
    page.locator("aside.summary-aside").screenshot(path=str(ARTIFACTS / "summary-03-checks.png"))

    # Mark final: the checks must be confirmed first (the browser holds the form until then).
    checks.get_by_role("button", name="Mark final").click()
    expect(checks.locator("input:invalid")).to_have_count(1)
    checks.get_by_label(re.compile("I looked at this check")).check()
    checks.get_by_role("button", name="Mark final").click()
    expect(page.get_by_role("status")).to_contain_text("Summary marked final.")
    expect(page.locator("h1 .badge")).to_have_text("Final")
    expect(page.get_by_role("button", name="Reopen to change it")).to_be_visible()
    expect(page.get_by_label("What we heard")).to_have_count(0)
    screenshot(page, "summary-04-final")

    summary = Summary.objects.get()
    assert summary.is_final
    assert summary.finalised_by == story.owner
    assert [c["check"] for c in summary.acknowledged_checks] == ["edited"]
    stances = dict(PointSummary.objects.values_list("point__position", "stance"))
    assert stances == {0: "supports", 1: "mixed", 2: "supports"}
    assert Quote.objects.count() == 5
    assert summary.surprises == "She prints every report before she sends it."

    # The quote links back to its note in the wrap-up.
    vp1.get_by_role("link", name="04:07").click()
    expect(page).to_have_url(re.compile(r"/wrap-up/#note-"))
    expect(page.locator(".note-list > li:target")).to_contain_text(MONDAYS)
    page.go_back()

    # The Markdown file.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download Markdown").click()
    download = info.value
    assert re.fullmatch(r"summary-\d{4}-\d\d-\d\d-zoë-ångström\.md", download.suggested_filename)
    markdown = download.path().read_text(encoding="utf-8")
    assert markdown.startswith("# Interview summary: Zoë Ångström\n")
    assert "**Stance:** Mixed" in markdown
    assert f"> {MONDAYS}" in markdown

    # The printable page, on screen and as paper.
    page.get_by_role("link", name="Printable page").click()
    expect(page.locator(".paper h1")).to_have_text("Zoë Ångström")
    expect(page.locator(".paper-point")).to_have_count(3)
    expect(page.locator(".paper")).to_contain_text(HEARD_VP1)
    screenshot(page, "summary-05-printable")
    page.emulate_media(media="print")
    expect(page.locator(".print-toolbar")).to_be_hidden()
    pdf = page.pdf(
        format="A4", margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"}
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "summary-05-printable.pdf").write_bytes(pdf)
