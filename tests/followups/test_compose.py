"""Writing a follow-up: filled in from a template, checked at entry, previewed, kept."""

from __future__ import annotations

import email
import email.policy
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from heard.demo.builder import build_demo_workspace
from heard.followups.models import FollowUp, MailStatus
from heard.followups.services import templates_for
from heard.interviews.models import Interview, NoteKind
from tests.support.followups import QUOTE, draft
from tests.support.personas import Team
from tests.support.urls import mail_url, url

pytestmark = pytest.mark.django_db


def mail_data(**overrides: str) -> dict[str, str]:
    return {
        "to_email": "ana@client.example",
        "subject": "Thank you, Ana",
        "body": "Hi Ana,\r\n\r\nThank you.\r\n",
    } | overrides


def test_the_email_is_filled_in_from_the_default_template(
    team: Team, interview: Interview, owner_client: Client
):
    response = owner_client.get(url("followups:create", team, interview_pk=interview.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["to_email"].value() == "ana@client.example"
    assert form["subject"].value() == "Thank you for your time, Ana"
    body = form["body"].value()
    assert f"One thing that stayed with us: “{QUOTE}”" in body  # a quote comes first
    day = interview.local_start
    assert f"on {day.day} {day:%B %Y} about Reporting pains" in body
    assert body.rstrip().endswith("Olivia Owner")
    # Quotes and pains are offered; reminders to ourselves and deleted notes are not.
    offered = [label for _, label in response.context["start_form"].fields["note"].choices]
    assert any("Exports time out" in label for label in offered)
    assert not any("export docs" in label for label in offered)
    assert not any("taken back" in label for label in offered)


def test_picking_another_note_or_typing_a_topic_fills_in_again(
    team: Team, interview: Interview, owner_client: Client
):
    pain = interview.notes.get(kind=NoteKind.PAIN)
    [template] = templates_for(interview.study.workspace)
    path = url("followups:create", team, interview_pk=interview.pk)
    body = (
        owner_client.get(path, {"template": template.pk, "note": pain.pk})
        .context["form"]["body"]
        .value()
    )
    assert "stayed with us: Exports time out on long date ranges." in body
    typed = owner_client.get(
        path, {"template": template.pk, "note": pain.pk, "highlight": "how you close the month"}
    ).context["form"]["body"]
    assert "stayed with us: how you close the month" in typed.value()


def test_a_draft_is_kept_and_previewed_before_anything_is_sent(
    team: Team, interview: Interview, owner_client: Client
):
    response = owner_client.post(
        url("followups:create", team, interview_pk=interview.pk), mail_data()
    )
    followup = FollowUp.objects.get()
    assert response.url == mail_url("detail", team, followup)
    assert followup.status == MailStatus.DRAFT
    assert followup.body == "Hi Ana,\n\nThank you."
    assert followup.created_by == team.owner
    assert followup.message_id.startswith("<")
    assert followup.message_id.endswith("@127.0.0.1>")
    page = owner_client.get(response.url)
    assert page.context["email"].to == ["Ana Lima <ana@client.example>"]
    assert "Draft: not sent yet" in page.content.decode()
    # Kept on the interview: listed on its page.
    detail = owner_client.get(
        reverse("interviews:detail", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    )
    assert list(detail.context["followups"]) == [followup]
    assert "Thank you, Ana" in detail.content.decode()


@pytest.mark.parametrize(
    "address",
    ["not-an-address", "ana@", "ana@client.example\nBcc: eve@evil.example", "a@b@c.example"],
)
def test_an_invalid_address_is_refused_at_entry(
    team: Team, interview: Interview, owner_client: Client, address: str
):
    response = owner_client.post(
        url("followups:create", team, interview_pk=interview.pk), mail_data(to_email=address)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["to_email"]
    assert not FollowUp.objects.exists()


def test_a_subject_cannot_carry_a_second_header(
    team: Team, interview: Interview, owner_client: Client
):
    response = owner_client.post(
        url("followups:create", team, interview_pk=interview.pk),
        mail_data(subject="Thanks\r\nBcc: eve@evil.example"),
    )
    assert response.context["form"].errors["subject"] == ["Keep it on one line."]
    assert not FollowUp.objects.exists()


def test_names_with_line_breaks_stay_on_one_header_line(
    team: Team, interview: Interview, owner_client: Client
):
    interview.participant.name = "Ana\r\nBcc: eve@evil.example"
    interview.participant.save()
    owner_client.post(url("followups:create", team, interview_pk=interview.pk), mail_data())
    followup = FollowUp.objects.get()
    raw = owner_client.get(mail_url("eml", team, followup)).content
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == '"Ana Bcc: eve@evil.example" <ana@client.example>'
    assert message["Bcc"] is None


def test_the_preview_shows_names_as_people_read_them(
    team: Team, interview: Interview, owner_client: Client, settings
):
    settings.HEARD_EMAIL_FROM = '"Acme \\"Research\\"" <research@acme.example>'
    team.owner.name = 'Olivia "Liv" Owner'
    team.owner.save()
    name = 'Zoë "Z" O\'Brien-Łukasiewicz'
    followup = draft(interview, to_name=name, to_email="zoe@client.example")
    page = owner_client.get(mail_url("detail", team, followup)).content.decode()
    assert (
        '<dt>To</dt><dd dir="auto">Zoë &quot;Z&quot; O&#x27;Brien-Łukasiewicz &lt;zoe@client.example&gt;</dd>'
        in page
    )
    assert (
        '<dt>From</dt><dd dir="auto">Acme &quot;Research&quot; &lt;research@acme.example&gt;</dd>'
        in page
    )
    assert (
        '<dt>Reply to</dt><dd dir="auto">Olivia &quot;Liv&quot; Owner &lt;olivia@acme.example&gt;</dd>'
        in page
    )
    assert "\\&quot;" not in page
    # The mail itself keeps its headers quoted and encoded as mail programs need them.
    raw = owner_client.get(mail_url("eml", team, followup)).content
    assert raw.isascii()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, "zoe@client.example")
    (reply_to,) = message["Reply-To"].addresses
    assert reply_to.display_name == 'Olivia "Liv" Owner'
    assert message["From"].addresses[0].display_name == 'Acme "Research"'


def test_html_in_names_and_quotes_is_shown_as_text(
    team: Team, interview: Interview, owner_client: Client
):
    interview.participant.name = "<b>Ana</b> Lima"
    interview.participant.save()
    interview.notes.filter(kind=NoteKind.QUOTE).update(text="<script>alert('hi')</script>")
    page = owner_client.get(
        url("followups:create", team, interview_pk=interview.pk)
    ).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;" in page
    assert "<b>Ana</b>" not in page

    followup = draft(interview, body="Loved “<script>alert('hi')</script>”")
    page = owner_client.get(mail_url("detail", team, followup)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;b&gt;Ana&lt;/b&gt; Lima" in page
    # The mail itself is plain text: the customer reads the characters that were typed.
    raw = owner_client.get(mail_url("eml", team, followup)).content
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message.get_content_type() == "text/plain"
    assert "<script>alert('hi')</script>" in message.get_content()


def test_the_eml_file_parses_back(team: Team, interview: Interview, owner_client: Client):
    followup = draft(interview, subject="Thank you — Ana", body="Hi Ana,\n\nDanke schön.\n")
    response = owner_client.get(mail_url("eml", team, followup))
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].endswith(f'-{followup.pk}.eml"')
    message = email.message_from_bytes(response.content, policy=email.policy.default)
    assert message["Subject"] == "Thank you — Ana"
    assert message["To"] == "Ana Lima <ana@client.example>"
    assert message["From"] == "Olivia Owner <olivia@acme.example>"  # who downloads it sends it
    assert message["Message-ID"] == followup.message_id
    assert message["X-Unsent"] == "1"  # opens as a draft to send
    assert message.get_content().replace("\r\n", "\n") == "Hi Ana,\n\nDanke schön.\n"


def test_the_mailto_link_carries_subject_and_body(
    team: Team, interview: Interview, owner_client: Client
):
    followup = draft(interview, subject="Thanks & more?", body="Hi Ana,\n\n50% done = 1+1")
    page = owner_client.get(mail_url("detail", team, followup))
    link = page.context["mailto"]
    assert f'href="{link.replace("&", "&amp;")}"' in page.content.decode()
    parts = urlsplit(link)
    assert (parts.scheme, unquote(parts.path)) == ("mailto", "ana@client.example")
    assert "%0D%0A" in parts.query
    assert "+" not in parts.query
    query = parse_qs(parts.query)
    assert query["subject"] == ["Thanks & more?"]
    assert query["body"] == ["Hi Ana,\r\n\r\n50% done = 1+1"]


def test_a_draft_can_be_changed_and_a_failed_mail_goes_back_to_draft(
    team: Team, interview: Interview, owner_client: Client
):
    followup = draft(interview, status=MailStatus.FAILED, failure_reason="550 No such user")
    response = owner_client.post(
        mail_url("edit", team, followup), mail_data(to_email="ana.lima@client.example")
    )
    assert response.url == mail_url("detail", team, followup)
    followup.refresh_from_db()
    assert (followup.status, followup.to_email) == (MailStatus.DRAFT, "ana.lima@client.example")


def test_a_sent_mail_cannot_be_changed_or_thrown_away(
    team: Team, interview: Interview, owner_client: Client
):
    followup = draft(interview, status=MailStatus.SENT)
    assert owner_client.get(mail_url("edit", team, followup)).status_code == 302
    owner_client.post(mail_url("edit", team, followup), mail_data(subject="Changed"))
    owner_client.post(mail_url("delete", team, followup))
    followup.refresh_from_db()
    assert followup.subject == "Thank you for your time, Ana"


def test_a_draft_can_be_thrown_away(team: Team, interview: Interview, owner_client: Client):
    followup = draft(interview)
    response = owner_client.post(mail_url("delete", team, followup))
    assert response.url == reverse(
        "interviews:detail", kwargs={"ws": team.workspace.slug, "pk": interview.pk}
    )
    assert not FollowUp.objects.exists()


def test_a_mail_sent_from_ones_own_program_is_kept_as_sent(
    team: Team, interview: Interview, teammate_client: Client
):
    followup = draft(interview)
    teammate_client.post(mail_url("sent_by_hand", team, followup))
    followup.refresh_from_db()
    assert (followup.status, followup.sent_by_hand, followup.sent_by) == (
        MailStatus.SENT,
        True,
        team.teammate,
    )
    assert followup.sent_at is not None


def test_observers_read_follow_ups_without_the_send_form(
    team: Team, interview: Interview, observer_client: Client
):
    followup = draft(interview)
    page = observer_client.get(mail_url("detail", team, followup))
    assert page.status_code == 200
    assert "Send to" not in page.content.decode()


def test_the_wrap_up_leads_to_the_follow_up(
    team: Team, interview: Interview, owner_client: Client, observer_client: Client
):
    wrapup = reverse("interviews:wrapup", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    create = url("followups:create", team, interview_pk=interview.pk)
    assert create in owner_client.get(wrapup).content.decode()
    assert create not in observer_client.get(wrapup).content.decode()


def test_a_sent_mail_downloads_as_sent(team: Team, interview: Interview, owner_client: Client):
    followup = draft(interview, status=MailStatus.SENT, sent_by=team.teammate)
    followup.sent_at = followup.created_at
    followup.save()
    raw = owner_client.get(mail_url("eml", team, followup)).content
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["X-Unsent"] is None
    assert message["Date"].datetime == followup.sent_at.replace(microsecond=0)
    assert message["From"] == f"Tom Teammate <{team.teammate.email}>"  # who sent it


def test_the_demo_keeps_a_sent_follow_up():
    demo = build_demo_workspace()
    followup = FollowUp.objects.get(interview__study__workspace=demo.workspace)
    assert (followup.status, followup.sent_by) == (MailStatus.SENT, demo.user)
    assert followup.body.startswith(f"Hi {followup.interview.participant.first_name},")
    assert "{" not in followup.body
    assert followup.interview.participant.recontact == "yes"


def test_templates_and_notes_of_others_are_not_offered(
    team: Team, interview: Interview, owner_client: Client
):
    [theirs] = templates_for(team.other_workspace)
    theirs.body = "Their secret wording"
    theirs.save()
    response = owner_client.get(
        url("followups:create", team, interview_pk=interview.pk), {"template": theirs.pk}
    )
    assert response.context["start_form"].errors["template"]
    assert "Their secret wording" not in response.content.decode()
    assert response.context["form"]["subject"].value() == "Thank you for your time, Ana"
