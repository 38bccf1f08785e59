"""A mail the server may have taken though its reply never came: failed, said so, resent on a yes.

The boundary is the end of the message: a connection that breaks before it leaves the mail
undelivered (the server drops a partial message); one that breaks after it leaves it unknown.
"""

from __future__ import annotations

import pytest
from django.test import Client

from heard.core.mail.transports import DeliveryFailed, SmtpTransport
from heard.followups.message import email_for
from heard.followups.models import FollowUp, MailStatus
from heard.interviews.models import Interview
from tests.support.followups import draft
from tests.support.personas import Team
from tests.support.smtp import FlakyServer
from tests.support.urls import mail_url

pytestmark = pytest.mark.django_db


def send(client: Client, team: Team, followup: FollowUp, **data: str) -> str:
    response = client.post(mail_url("send", team, followup), data, follow=True)
    assert response.status_code == 200
    followup.refresh_from_db()
    return response.content.decode()


def test_a_reply_lost_after_the_message_says_it_may_have_arrived(
    team: Team, interview: Interview, owner_client: Client, flaky_server: FlakyServer
):
    flaky_server.recorder.lose_the_reply = True
    followup = draft(interview)
    send(owner_client, team, followup)

    assert len(flaky_server.received) == 1  # the server has it...
    assert followup.status == MailStatus.FAILED  # ...but Heard never heard so
    assert followup.may_have_arrived
    assert "closed the connection" in followup.failure_reason
    assert "after the whole email was handed to the server" in followup.failure_reason
    assert "may have arrived" in followup.failure_reason
    page = owner_client.get(mail_url("detail", team, followup)).content.decode()
    assert "may have delivered this email" in page
    assert "second copy" in page
    assert "Send again anyway" in page
    assert 'name="despite_doubt" value="1" id="despite-doubt" required' in page
    assert "It arrived: mark as sent" in page

    # Sending again needs the box ticked: no second copy by a plain click.
    page = send(owner_client, team, followup)
    assert "Not sent: an earlier attempt may have delivered this email." in page
    assert followup.status == MailStatus.FAILED
    assert followup.attempts == 1
    assert len(flaky_server.received) == 1

    send(owner_client, team, followup, despite_doubt="1")
    assert followup.status == MailStatus.SENT
    assert followup.attempts == 2
    assert len(flaky_server.received) == 2  # what the warning was about


def test_one_that_may_have_arrived_can_be_kept_as_sent(
    team: Team, interview: Interview, owner_client: Client, flaky_server: FlakyServer
):
    flaky_server.recorder.lose_the_reply = True
    followup = draft(interview)
    send(owner_client, team, followup)
    response = owner_client.post(mail_url("outcome", team, followup), {"outcome": "sent"})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == MailStatus.SENT
    assert followup.sent_at == followup.sending_since
    assert followup.failure_reason == ""


def test_a_connection_lost_before_the_message_is_a_plain_failure(
    team: Team, interview: Interview, owner_client: Client, flaky_server: FlakyServer
):
    flaky_server.recorder.drop_at_rcpt = True
    followup = draft(interview)
    send(owner_client, team, followup)

    assert followup.status == MailStatus.FAILED
    assert not followup.may_have_arrived
    assert "closed the connection" in followup.failure_reason
    assert "may have arrived" not in followup.failure_reason
    page = owner_client.get(mail_url("detail", team, followup)).content.decode()
    assert "Nothing is lost" in page
    assert "despite_doubt" not in page
    assert "It arrived: mark as sent" not in page

    send(owner_client, team, followup)  # no box to tick
    assert followup.status == MailStatus.SENT
    assert len(flaky_server.received) == 1


def test_a_failure_before_the_message_keeps_an_earlier_doubt(
    team: Team, interview: Interview, owner_client: Client, flaky_server: FlakyServer
):
    flaky_server.recorder.lose_the_reply = True
    followup = draft(interview)
    send(owner_client, team, followup)
    flaky_server.recorder.drop_at_rcpt = True
    send(owner_client, team, followup, despite_doubt="1")
    assert followup.status == MailStatus.FAILED
    assert "may have arrived" not in followup.failure_reason  # this attempt surely did not...
    assert followup.may_have_arrived  # ...but the first one may have


def test_a_refusal_of_the_message_is_an_answer_not_a_doubt(
    interview: Interview, flaky_server: FlakyServer
):
    flaky_server.recorder.refuse_data_with = "554 5.7.1 Rejected as spam"
    with pytest.raises(DeliveryFailed) as failure:
        SmtpTransport(flaky_server.settings()).send(email_for(draft(interview)))
    assert str(failure.value) == "The mail server refused the message: 554 5.7.1 Rejected as spam"
    assert not failure.value.may_have_arrived


def test_no_answer_after_the_message_may_have_arrived(
    interview: Interview, flaky_server: FlakyServer
):
    flaky_server.recorder.reply_late_by = 2
    transport = SmtpTransport(flaky_server.settings(), timeout=0.5)
    with pytest.raises(DeliveryFailed) as failure:
        transport.send(email_for(draft(interview)))
    assert str(failure.value).startswith(
        f"The mail server at {transport.where} did not answer within 0.5 seconds."
    )
    assert failure.value.may_have_arrived
    assert len(flaky_server.received) == 1
