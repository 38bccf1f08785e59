"""The customer's words stay marked as theirs, and only theirs, in a real Chromium: a final
summary with a reworded quote and a note the team typed in its own words, read in the matrix,
the evidence picker and presenter mode; and any note of a call quoted under any validation
point, found by its words, and tied to the question it answers after the call; the wrap-up
counting what the call recorded, the checks saying what to do, a KPI moved to its pain.

Every step leaves a screenshot under test-artifacts/screens/words-*.png.
"""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.guides import services as guides
from heard.interviews.live import milestones
from heard.interviews.live import notes as live_notes
from heard.interviews.models import InterviewStatus, NoteKind
from heard.synthesis.reviews import services as review
from tests.support import factories
from tests.support.browser import ARTIFACTS, screenshot, sign_in
from tests.support.calls import Call, planned_study
from tests.support.findings import (
    BOARD,
    EFFICIENT,
    PARAPHRASE,
    REWORDED,
    build_study,
    edit_words,
)
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_marked(where: Locator) -> None:
    """Her words in quotation marks; the reworded quote marked, her words one click away;
    the team's note with no quotation marks, and said to be the team's."""
    expect(where.locator(".quote-words--said").filter(has_text=BOARD).first).to_have_text(
        f"“{BOARD}”"
    )
    reworded = where.locator(".quote-words--said").filter(has_text=REWORDED).first
    expect(reworded).to_have_text(f"“{REWORDED}”")
    source = where.locator(".quote-source").filter(has_text="The note says").first
    expect(source).to_be_visible()
    expect(source.locator("p")).to_be_hidden()
    source.locator("summary").click()
    expect(source.locator("p")).to_have_text(f"The note says: “{EFFICIENT}”")
    team_note = where.locator(".quote-words--team").filter(has_text=PARAPHRASE).first
    expect(team_note).to_be_visible()
    expect(team_note).to_have_text(f"Team's note (note), not their words: {PARAPHRASE}")
    expect(where.get_by_text(f"“{PARAPHRASE}")).to_have_count(0)


def test_edited_quotes_and_team_notes_are_marked_wherever_quotes_are_read(
    person: Page, live_server: LiveServer, team: Team
) -> None:
    page = person
    study = build_study(team)
    edit_words(study, team.owner)
    finding = study.finding(team.owner, "Small teams lose a morning a week", (0, 1))
    meeting = review.start_review(study.study, team.owner, "Monday review")
    ws = team.workspace.slug
    sign_in(page.context, live_server.url, team.owner)

    # The final summary.
    page.goto(f"{live_server.url}/w/{ws}/interviews/{study.nickole.pk}/summary/")
    expect(page.locator("h1 .badge")).to_have_text("Final")
    expect_marked(page.locator("main"))
    screenshot(page, "words-01-summary")

    # The matrix.
    page.goto(f"{live_server.url}/w/{ws}/studies/{study.study.pk}/matrix/")
    expect_marked(page.locator("table.matrix"))
    screenshot(page, "words-02-matrix")

    # The evidence picker: pick the three of them for the finding.
    page.goto(f"{live_server.url}/w/{ws}/studies/{study.study.pk}/findings/{finding.pk}/evidence/")
    picker = page.locator(".pick-cell").filter(has_text="Nickole Barros").first
    expect_marked(page.locator("main"))
    for words in (BOARD, REWORDED, PARAPHRASE):
        row = page.locator(".pick-quote").filter(has_text=words)
        row.get_by_role("button", name="Supports", exact=True).click()
        expect(
            page.locator(".pick-quote")
            .filter(has_text=words)
            .get_by_role("button", name="Supports", exact=True)
        ).to_have_attribute("aria-pressed", "true")
    expect(picker).to_be_visible()
    screenshot(page, "words-03-picker")

    # Presenter mode.
    page.goto(f"{live_server.url}/w/{ws}/reviews/{meeting.pk}/present/?finding={finding.pk}")
    expect_marked(page.locator(".evidence-columns"))
    screenshot(page, "words-04-presenter")


KPI = "Hours per campaign report: about three today"
LOOSE = "Their CEO reads every report before it goes out"
SAID = "Monday mornings go to rebuilding the same reports"


def test_any_note_is_quoted_under_any_point_and_tied_to_its_question_after_the_call(
    person: Page, live_server: LiveServer, team: Team
) -> None:
    page = person
    plan = planned_study(
        team.workspace,
        (
            "Small teams rebuild reports by hand every week",
            "They would trust scheduled reports unreviewed",
            "How do they measure reporting efficiency?",
        ),
    )
    interview = factories.interview(
        plan.study,
        factories.participant(team.workspace, name="Zoë Ångström"),
        guide=plan.guide,
        status=InterviewStatus.DONE,
        started_at=timezone.now(),
        ended_at=timezone.now(),
    )
    call = Call(interview, plan.points, plan.questions)
    q1, _, q3, _ = plan.questions
    call.note(NoteKind.QUOTE, SAID, 4, q1, author=team.owner)
    call.note(NoteKind.KPI, KPI, 6, q1, author=team.owner)  # typed while q1 was on screen
    call.note(NoteKind.NOTE, LOOSE, 9, author=team.owner)
    ws = team.workspace.slug
    sign_in(page.context, live_server.url, team.owner)

    # VP3, the KPI point: nothing was noted on its question, every other note is offered.
    page.goto(f"{live_server.url}/w/{ws}/interviews/{interview.pk}/summary/")
    page.get_by_role("button", name="Start the summary").click()
    vp3 = page.locator("section.vp-card").nth(2)
    expect(vp3.locator(".candidates").first.locator(".tab-count")).to_have_text("0")
    others = vp3.locator(".candidates--others")
    expect(others).to_have_attribute("open", "")
    expect(others.locator(".candidate-list > li")).to_have_count(3)
    others.get_by_label("Find a note").fill("hours")
    expect(others.locator(".candidate-list > li")).to_have_count(1)
    expect(others).to_contain_text("1 of 3 notes hold “hours”.")
    screenshot(page, "words-05-search")
    others.locator(".candidate-list > li").filter(has_text=KPI).get_by_role(
        "button", name="Add"
    ).click()
    team_note = vp3.locator(".quote-list .quote-words--team")
    expect(team_note).to_have_text(f"Team's note (KPI), not their words: {KPI}")
    expect(vp3.get_by_label("Find a note")).to_have_value("hours")

    # The wrap-up: the loose note answered VP3's question; tie it there.
    page.goto(f"{live_server.url}/w/{ws}/interviews/{interview.pk}/wrap-up/")
    loose = page.locator(".note-list > li").filter(has_text=LOOSE)
    loose.get_by_text("Tie it to a question").click()
    loose.get_by_label("The question it answers").select_option(str(q3.pk))
    screenshot(page, "words-06-wrapup-tie")
    loose.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The note is tied to its new question.")
    expect(page.locator(".note-list > li").filter(has_text=LOOSE)).to_contain_text(
        f"on “{q3.text}”"
    )
    page.get_by_role("link", name="Interview summary").click()
    vp3 = page.locator("section.vp-card").nth(2)
    expect(vp3.locator(".candidates").first.locator(".tab-count")).to_have_text("1")
    expect(vp3.locator(".candidates").first).to_contain_text(LOOSE)
    screenshot(page, "words-07-summary-after")


PAIN_MONDAYS = "Mondays go to rebuilding the same reports"
PAIN_UNREAD = "Reports go out that nobody reads"
BOARD_KPI = "Complaints from the board per month: two or three"


def test_the_wrapup_counts_what_the_call_recorded_and_the_summary_says_what_to_do(
    person: Page, live_server: LiveServer, team: Team
) -> None:
    page = person
    study = factories.study(team.workspace, title="Reporting pains")
    factories.point(study, "Small teams rebuild reports by hand every week", 0)
    guide = guides.create_from_template(study, title="Discovery call")
    interview = factories.interview(
        study, factories.participant(team.workspace, name="Zoë Ångström"), guide=guide
    )
    milestones.record_consent(interview, team.owner, "yes")
    milestones.start_intros(interview, team.owner)
    milestones.start(interview, team.owner)
    for minute, (kind, text) in enumerate(
        (
            (NoteKind.PAIN, PAIN_MONDAYS),
            (NoteKind.KPI, BOARD_KPI),  # said of the unread reports, noted beside Mondays
            (NoteKind.PAIN, PAIN_UNREAD),
            (NoteKind.QUOTE, SAID),
        ),
        start=4,
    ):
        note_data = {"id": str(uuid.uuid4()), "kind": kind, "text": text}
        live_notes.save_note(interview, team.owner, note_data | {"elapsed_seconds": minute * 60})
    milestones.end(interview, team.owner, promised_follow_up=True)
    ws = team.workspace.slug
    sign_in(page.context, live_server.url, team.owner)

    # The wrap-up: the consent, the intros and the promise were recorded by the call itself.
    page.goto(f"{live_server.url}/w/{ws}/interviews/{interview.pk}/wrap-up/")
    missed = page.locator(".wrapup-missed").first
    expect(missed).to_contain_text("Looking ahead at the next 12 months")
    for asked in ("May we record this call?", "Short intros", "Thank them, promise to follow up"):
        expect(missed).not_to_contain_text(asked)
    expect(page.locator(".wrapup-figures")).to_contain_text("3answered")
    screenshot(page, "words-08-wrapup-missed")

    # The summary: a quote picked, the stance set, the quote not marked yet.
    page.get_by_role("link", name="Interview summary").click()
    page.get_by_role("button", name="Start the summary").click()
    vp1 = page.locator("section.vp-card").first
    vp1.locator(".candidates--others .candidate-list > li").filter(has_text=SAID).get_by_role(
        "button", name="Add"
    ).click()
    expect(vp1.locator(".quote-list .quote-words--said")).to_have_text(f"“{SAID}”")
    vp1.locator(".vp-stance").get_by_role("button", name="Supports", exact=True).click()
    checks = page.locator("#checks")
    expect(checks).to_contain_text(
        "Marked “supports”, but its quote is not marked for or against it yet: "
        "mark each quote for or against the point."
    )
    expect(checks).not_to_contain_text("do not back it")
    page.locator("aside.summary-aside").screenshot(
        path=str(ARTIFACTS / "words-09-checks-unmarked.png")
    )

    # The pains: the board's complaints measure the unread reports, not the Mondays.
    pains = page.locator("#text-main_pains")
    expect(pains.locator("textarea")).to_have_value(
        f"- {PAIN_MONDAYS}\n  Measured by: {BOARD_KPI}\n- {PAIN_UNREAD}"
    )
    pains.get_by_label("It measures").select_option(label=f"06:00 {PAIN_UNREAD}")
    pains.get_by_role("button", name="Move").click()
    expect(pains.locator("textarea")).to_have_value(
        f"- {PAIN_MONDAYS}\n- {PAIN_UNREAD}\n  Measured by: {BOARD_KPI}"
    )
    expect(
        page.locator(".from-note").filter(has_text=PAIN_UNREAD).locator(".from-detail")
    ).to_contain_text(BOARD_KPI)
    pains.scroll_into_view_if_needed()
    pains.screenshot(path=str(ARTIFACTS / "words-10-pains-moved.png"))
