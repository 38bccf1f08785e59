"""Sending through a real SMTP server: what arrives, and every way it can fail without loss."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from heard.conf import MailServer
from heard.followups import services
from heard.followups.models import FollowUp, MailStatus
from heard.interviews.models import Interview
from tests.support.followups import QUOTE, draft
from tests.support.personas import Team
from tests.support.server import free_port
from tests.support.smtp import (
    HOST,
    PASSWORD,
    USERNAME,
    LoopbackMailServer,
    check_login,
    running_smtp,
)
from tests.support.urls import mail_url, url

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def send(client: Client, team: Team, followup: FollowUp) -> FollowUp:
    response = client.post(mail_url("send", team, followup))
    assert response.status_code == 302
    followup.refresh_from_db()
    return followup


def test_the_mail_arrives_with_the_right_headers_and_body(
    team: Team, interview: Interview, owner_client: Client, smtp_server: LoopbackMailServer
):
    response = owner_client.get(url("followups:create", team, interview_pk=interview.pk))
    form = response.context["form"]
    response = owner_client.post(
        url("followups:create", team, interview_pk=interview.pk),
        {key: form[key].value() for key in ("to_email", "subject", "body", "template")},
    )
    followup = FollowUp.objects.get()
    assert response.url == mail_url("detail", team, followup)

    followup = send(owner_client, team, followup)

    assert followup.status == MailStatus.SENT
    assert (followup.attempts, followup.failure_reason) == (1, "")
    assert followup.sent_at is not None
    assert followup.sent_by == team.owner
    [received] = smtp_server.received
    # From the team's address (never an account's unverified email), replies to the sender.
    assert received.sender == "research@acme.example"
    assert received.recipients == ["ana@client.example"]
    message = received.message
    assert message["From"] == "Acme Research <research@acme.example>"
    assert message["Reply-To"] == "Olivia Owner <olivia@acme.example>"
    assert message["To"] == "Ana Lima <ana@client.example>"
    assert message["Subject"] == "Thank you for your time, Ana"
    assert message["Message-ID"] == followup.message_id
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert body.startswith("Hi Ana,\n")
    assert f"One thing that stayed with us: “{QUOTE}”" in body
    assert "about Reporting pains" in body
    assert "would it be all right if we reached out with a few more" in body
    assert body.rstrip().endswith("Olivia Owner")
    page = owner_client.get(mail_url("detail", team, followup))
    assert page.context["followup"].status == MailStatus.SENT
    assert "Sent to ana@client.example." in page.content.decode()


def test_a_configured_from_address_sends_replies_to_the_sender(
    team: Team,
    interview: Interview,
    teammate_client: Client,
    smtp_server: LoopbackMailServer,
    settings,
):
    settings.HEARD_EMAIL_FROM = "Acme Research <research@acme.example>"
    followup = send(teammate_client, team, draft(interview))
    assert followup.status == MailStatus.SENT
    [received] = smtp_server.received
    assert received.sender == "research@acme.example"
    assert received.message["From"] == "Acme Research <research@acme.example>"
    assert received.message["Reply-To"] == f"Tom Teammate <{team.teammate.email}>"


def test_a_refused_recipient_fails_with_the_servers_reply_and_a_retry_sends_once(
    team: Team, interview: Interview, owner_client: Client, smtp_server: LoopbackMailServer
):
    smtp_server.recorder.refuse_recipients_with = "550 5.1.1 No such user"
    followup = send(owner_client, team, draft(interview))

    assert followup.status == MailStatus.FAILED
    assert "550 5.1.1 No such user" in followup.failure_reason
    assert "ana@client.example" in followup.failure_reason
    assert smtp_server.received == []
    page = owner_client.get(mail_url("detail", team, followup)).content.decode()
    assert "550 5.1.1 No such user" in page
    assert "Send again" in page

    smtp_server.recorder.refuse_recipients_with = ""
    followup = send(owner_client, team, followup)
    assert followup.status == MailStatus.SENT
    assert (followup.attempts, followup.failure_reason) == (2, "")
    assert len(smtp_server.received) == 1

    followup = send(owner_client, team, followup)  # a third press, on a mail already sent
    assert followup.attempts == 2
    assert len(smtp_server.received) == 1


def test_a_server_that_drops_the_connection_fails_the_mail(
    team: Team, interview: Interview, owner_client: Client, smtp_server: LoopbackMailServer
):
    smtp_server.recorder.drop_during_data = True
    followup = send(owner_client, team, draft(interview))
    assert followup.status == MailStatus.FAILED
    assert "closed the connection" in followup.failure_reason
    assert smtp_server.received == []
    # It dropped after the whole message came in: from where Heard stands, it may have arrived.
    assert followup.may_have_arrived


def test_a_refused_login_fails_and_the_right_one_sends(
    team: Team, interview: Interview, owner_client: Client, settings
):
    with running_smtp(authenticator=check_login, auth_require_tls=False) as server:
        settings.HEARD_EMAIL_SERVER = server.settings(USERNAME, "wrong password")
        followup = send(owner_client, team, draft(interview))
        assert followup.status == MailStatus.FAILED
        assert followup.failure_reason.startswith("The mail server refused the login: 535")

        settings.HEARD_EMAIL_SERVER = server.settings(USERNAME, PASSWORD)
        followup = send(owner_client, team, followup)
        assert followup.status == MailStatus.SENT
        assert len(server.received) == 1


def test_a_server_that_is_down_fails_the_mail(
    team: Team, interview: Interview, owner_client: Client, settings
):
    port = free_port()
    settings.HEARD_EMAIL_SERVER = MailServer(HOST, port, "none")
    followup = send(owner_client, team, draft(interview))
    assert followup.status == MailStatus.FAILED
    assert followup.failure_reason == (
        f"Could not reach the mail server at {HOST}:{port}: Connection refused."
    )


def test_starttls_that_the_server_does_not_offer_fails_clearly(
    team: Team, interview: Interview, owner_client: Client, smtp_server, settings
):
    settings.HEARD_EMAIL_SERVER = MailServer(HOST, smtp_server.port, "starttls")
    followup = send(owner_client, team, draft(interview))
    assert followup.status == MailStatus.FAILED
    assert "STARTTLS" in followup.failure_reason
    assert smtp_server.received == []


def test_a_double_click_sends_once(
    team: Team, interview: Interview, owner_client: Client, smtp_server: LoopbackMailServer
):
    followup = draft(interview)
    send(owner_client, team, followup)
    response = owner_client.post(mail_url("send", team, followup), follow=True)
    assert "on its way already, or sent" in response.content.decode()
    assert len(smtp_server.received) == 1


def test_two_workers_cannot_send_the_same_mail(
    interview: Interview, smtp_server: LoopbackMailServer
):
    followup = draft(interview, status=MailStatus.QUEUED)
    assert services.deliver(followup.pk) == MailStatus.SENT
    assert services.deliver(followup.pk) == MailStatus.SENT  # found it sent: nothing to do
    assert len(smtp_server.received) == 1
    followup.refresh_from_db()
    assert followup.attempts == 1


def test_a_mail_the_email_package_refuses_fails_without_sending(
    interview: Interview, smtp_server: LoopbackMailServer
):
    # A line break that got past the forms (say, written to the database by hand).
    followup = draft(
        interview, status=MailStatus.QUEUED, to_email="ana@client.example\nBcc: eve@evil.example"
    )
    assert services.deliver(followup.pk) == MailStatus.FAILED
    followup.refresh_from_db()
    assert followup.failure_reason
    assert smtp_server.received == []


def test_without_a_mail_server_sending_is_off_but_the_other_ways_work(
    team: Team, interview: Interview, owner_client: Client, settings
):
    settings.HEARD_EMAIL_SERVER = None
    followup = draft(interview)
    response = owner_client.post(mail_url("send", team, followup), follow=True)
    page = response.content.decode()
    assert "Sending is off" in page
    assert "HEARD_EMAIL_URL" in page
    followup.refresh_from_db()
    assert followup.status == MailStatus.DRAFT
    assert "Send to ana@client.example" not in page
    assert "mailto:ana@client.example?subject=" in page
    assert owner_client.get(mail_url("eml", team, followup)).status_code == 200


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_sending_is_a_background_task(
    team: Team, interview: Interview, owner_client: Client, smtp_server: LoopbackMailServer
):
    followup = send(owner_client, team, draft(interview))
    assert followup.status == MailStatus.QUEUED  # not sent inside the request
    assert smtp_server.received == []
    page = owner_client.get(mail_url("detail", team, followup)).content.decode()
    assert 'hx-trigger="every 2s"' in page  # the status card follows the task

    call_command("worker", "--batch", verbosity=0)

    followup.refresh_from_db()
    assert followup.status == MailStatus.SENT
    assert len(smtp_server.received) == 1
