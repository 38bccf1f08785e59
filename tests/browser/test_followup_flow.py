"""After the call, in a real Chromium: write the follow-up, preview it, send it to a real SMTP
server that first refuses it, send it again, and record the customer's answer.

Screenshots: test-artifacts/screens/followup-*.png.
"""

from __future__ import annotations

import re

import pytest
from django.db import connections
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.core.bidi import isolated
from heard.followups.models import FollowUp, MailStatus
from heard.interviews.models import Interview, NoteKind
from heard.participants.models import Participant, Recontact
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.followups import finished_interview
from tests.support.personas import Team
from tests.support.smtp import LoopbackMailServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Quotes in a name: the header escapes them, the preview shows the name as people read it.
CUSTOMER = 'Zoë "Z" O\'Brien-Łukasiewicz'
QUOTE = "Friday's board pack takes us <b>two days</b>, every month."


def interview_to_follow_up(team: Team) -> Interview:
    person = factories.participant(
        team.workspace, name=CUSTOMER, email="zoe@fjord.example", company="Fjordkraft Økonomi AS"
    )
    notes = [
        (NoteKind.PAIN, "Consolidating three ledgers by hand before every board meeting."),
        (NoteKind.QUOTE, QUOTE),
        (NoteKind.FOLLOW_UP, "Send the export guide."),
    ]
    return finished_interview(team, person, "Reporting pains in finance teams", notes)


def test_write_preview_send_and_record_the_answer(
    page: Page,
    live_server: LiveServer,
    team: Team,
    smtp_server: LoopbackMailServer,
) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    interview = interview_to_follow_up(team)
    sign_in(page.context, live_server.url, team.owner)
    base = f"{live_server.url}/w/{team.workspace.slug}"

    page.goto(f"{base}/interviews/{interview.pk}/wrap-up/")
    page.get_by_role("link", name="Write the follow-up email").click()
    expect(page.get_by_role("heading", name=f"Follow-up email to {CUSTOMER}")).to_be_visible()
    expect(page.get_by_label("To", exact=True)).to_have_value("zoe@fjord.example")
    expect(page.get_by_label("Subject", exact=True)).to_have_value("Thank you for your time, Zoë")
    body = page.get_by_label("Text", exact=True)
    expect(body).to_have_value(re.compile(r"stayed with us: “Friday's board pack takes us <b>"))
    # The values the template's fields take for this interview, HTML shown as typed.
    fields = page.get_by_role("region", name="Fields in braces")
    expect(fields).to_contain_text("Olivia Owner")
    expect(fields).to_contain_text("<b>two days</b>")
    assert fields.locator("b").count() == 0

    # Another highlight: the pain, picked from the notes of the call.
    page.get_by_label("Quote or topic from the call").select_option(
        label="Pain: " + isolated("Consolidating three ledgers by hand before every board meeting.")
    )
    page.get_by_role("button", name="Fill in the email again").click()
    expect(body).to_have_value(re.compile("stayed with us: Consolidating three ledgers"))
    body.fill(
        body.input_value().replace(
            "Thanks again,", "PS: the export guide follows.\n\nThanks again,"
        )
    )
    screenshot(page, "followup-01-write")
    page.get_by_role("button", name="Save the draft and preview").click()

    expect(page.get_by_role("heading", name=f"Follow-up to {CUSTOMER}")).to_be_visible()
    status = page.locator("#mail-status")
    expect(status).to_contain_text("Draft: not sent yet")
    preview = page.get_by_role("region", name="The email")
    expect(preview).to_contain_text(f"{CUSTOMER} <zoe@fjord.example>")
    expect(preview).to_contain_text("PS: the export guide follows.")
    mailto = page.get_by_role("link", name="Open in your mail program")
    expect(mailto).to_have_attribute("href", re.compile(r"^mailto:zoe@fjord\.example\?subject="))
    screenshot(page, "followup-02-preview")

    # The mail server refuses the address: the mail is failed, with the server's words.
    smtp_server.recorder.refuse_recipients_with = "550 5.1.1 No such user here"
    page.get_by_role("button", name="Send to zoe@fjord.example").click()
    expect(status).to_contain_text("Not sent")
    expect(status).to_contain_text("550 5.1.1 No such user here")
    screenshot(page, "followup-03-failed")

    smtp_server.recorder.refuse_recipients_with = ""
    status.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("status")).to_contain_text("Sent to zoe@fjord.example.")
    expect(status).to_contain_text("Sent")
    expect(status).to_contain_text("by Olivia Owner")

    # The customer said yes to more questions.
    answer = page.get_by_role("group", name=re.compile("May we contact Zoë again"))
    answer.get_by_label("Happy to be contacted again").check()
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: happy to be contacted again.")
    expect(page.get_by_label("Happy to be contacted again")).to_be_checked()
    screenshot(page, "followup-04-sent")

    [received] = smtp_server.received
    assert received.recipients == ["zoe@fjord.example"]
    assert received.message["To"].addresses[0].display_name == CUSTOMER
    assert received.message["Subject"] == "Thank you for your time, Zoë"
    assert "PS: the export guide follows." in received.message.get_content()

    page.get_by_role("link", name=CUSTOMER).first.click()
    card = page.get_by_role("region", name="Follow-up email")
    expect(card).to_contain_text("Thank you for your time, Zoë")
    expect(card.locator(".badge--mail-sent")).to_have_text("Sent")
    expect(card).to_contain_text("Happy to be contacted again")
    screenshot(page, "followup-05-interview")
    page.get_by_role("region", name="When and where").get_by_role("link", name=CUSTOMER).click()
    expect(page.get_by_label("Happy to be contacted again")).to_be_checked()
    screenshot(page, "followup-06-participant")

    # The answer where people are picked: the directory, and the form of a new interview.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Participants").click()
    row = page.locator("table.participants-table tbody tr").filter(has_text=CUSTOMER)
    expect(row.locator(".badge--recontact-yes")).to_have_text("Yes")
    screenshot(page, "followup-07-directory")
    page.goto(f"{base}/follow-up-templates/")
    expect(page.get_by_role("heading", name="Thank you, and may we ask more?")).to_be_visible()
    screenshot(page, "followup-08-templates")

    followup = FollowUp.objects.get()
    assert (followup.status, followup.attempts) == (MailStatus.SENT, 2)
    assert Participant.objects.get(email="zoe@fjord.example").recontact == Recontact.YES
    connections.close_all()
    assert problems == []
