"""A mail left sending by a worker that died: shown as stuck, then settled by hand, once."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heard.core.mail.transports.smtp import TIMEOUT_SECONDS
from heard.followups import services
from heard.followups.models import STUCK_AFTER, FollowUp, MailStatus
from heard.interviews.models import Interview
from tests.support.followups import draft
from tests.support.personas import Team
from tests.support.smtp import LoopbackMailServer
from tests.support.urls import mail_url

pytestmark = pytest.mark.django_db


def sending(interview: Interview, minutes: float) -> FollowUp:
    """A mail whose attempt started `minutes` ago and never ended."""
    started = timezone.now() - datetime.timedelta(minutes=minutes)
    return draft(interview, status=MailStatus.SENDING, attempts=1, sending_since=started)


def settle(client: Client, team: Team, followup: FollowUp, outcome: str) -> str:
    response = client.post(mail_url("outcome", team, followup), {"outcome": outcome}, follow=True)
    assert response.status_code == 200
    followup.refresh_from_db()
    return response.content.decode()


def test_the_limit_outlasts_any_attempt():
    # About ten steps with the server, each limited by the transport's timeout.
    assert STUCK_AFTER.total_seconds() >= 2 * 10 * TIMEOUT_SECONDS


def test_a_mail_sending_for_a_while_is_still_on_its_way(
    team: Team, interview: Interview, owner_client: Client
):
    followup = sending(interview, minutes=2)
    page = owner_client.get(mail_url("detail", team, followup)).content.decode()
    assert "Sending…" in page
    assert "Stuck" not in page
    assert 'hx-trigger="every 2s"' in page
    assert mail_url("outcome", team, followup) not in page

    # Even a request made by hand cannot settle a mail that is still being sent.
    settle(owner_client, team, followup, "failed")
    settle(owner_client, team, followup, "sent")
    assert followup.status == MailStatus.SENDING


def test_a_mail_sending_too_long_shows_as_stuck(
    team: Team, interview: Interview, owner_client: Client, observer_client: Client
):
    followup = sending(interview, minutes=STUCK_AFTER.total_seconds() / 60 + 1)
    page = owner_client.get(mail_url("detail", team, followup)).content.decode()
    assert "Stuck while sending" in page
    assert "It may or may not have arrived." in page
    assert "every 2s" not in page  # nothing to wait for
    assert mail_url("outcome", team, followup) in page
    assert "It arrived: mark as sent" in page
    assert "Mark as failed" in page
    # The interview page lists it as stuck too.
    listing = owner_client.get(
        reverse("interviews:detail", kwargs={"ws": team.workspace.slug, "pk": interview.pk})
    ).content.decode()
    assert '<span class="badge badge--mail-failed">Stuck</span>' in listing
    # An observer sees where it stands, not the buttons.
    page = observer_client.get(mail_url("detail", team, followup)).content.decode()
    assert "Stuck while sending" in page
    assert mail_url("outcome", team, followup) not in page


def test_a_stuck_mail_marked_failed_is_sent_again_only_after_a_yes(
    team: Team, interview: Interview, owner_client: Client, smtp_server: LoopbackMailServer
):
    followup = sending(interview, minutes=60)
    page = settle(owner_client, team, followup, "failed")

    assert followup.status == MailStatus.FAILED
    assert followup.failure_reason == services.STOPPED_MIDWAY
    assert followup.failure_reason.startswith("The sending stopped midway")
    assert "may or may not have arrived" in followup.failure_reason
    assert followup.may_have_arrived
    assert "Marked as failed." in page
    assert "may have delivered this email" in page
    assert 'name="despite_doubt"' in page
    assert "Send again anyway" in page

    response = owner_client.post(mail_url("send", team, followup), follow=True)
    assert "tick the box to send it again anyway" in response.content.decode()
    followup.refresh_from_db()
    assert followup.status == MailStatus.FAILED
    assert smtp_server.received == []

    response = owner_client.post(mail_url("send", team, followup), {"despite_doubt": "1"})
    followup.refresh_from_db()
    assert followup.status == MailStatus.SENT
    assert followup.attempts == 2
    assert len(smtp_server.received) == 1


def test_a_stuck_mail_that_arrived_is_kept_as_sent(
    team: Team, interview: Interview, owner_client: Client
):
    followup = sending(interview, minutes=60)
    started = followup.sending_since
    page = settle(owner_client, team, followup, "sent")
    assert "Kept as sent." in page
    assert followup.status == MailStatus.SENT
    assert followup.sent_at == started  # when Heard handed it over, not when someone checked
    assert not followup.sent_by_hand
    assert followup.failure_reason == ""


def test_two_clicks_settle_a_stuck_mail_once(
    team: Team, interview: Interview, owner_client: Client, teammate_client: Client
):
    followup = sending(interview, minutes=60)
    settle(owner_client, team, followup, "sent")
    page = settle(teammate_client, team, followup, "failed")  # a second page, not yet refreshed
    assert "moved on meanwhile: nothing was done" in page
    assert followup.status == MailStatus.SENT
    assert followup.failure_reason == ""

    followup = sending(interview, minutes=60)
    assert services.give_up(followup)
    assert not services.give_up(followup)  # the same click twice: failed once
    followup.refresh_from_db()
    assert followup.status == MailStatus.FAILED


def test_a_late_click_cannot_fail_a_new_attempt(
    team: Team, interview: Interview, owner_client: Client
):
    followup = sending(interview, minutes=60)
    assert services.give_up(followup)
    # Sent again: a worker claims it, so it is sending once more, freshly.
    FollowUp.objects.filter(pk=followup.pk).update(
        status=MailStatus.SENDING, sending_since=timezone.now()
    )
    settle(owner_client, team, followup, "failed")  # the stuck page, still open elsewhere
    settle(owner_client, team, followup, "sent")
    assert followup.status == MailStatus.SENDING


def test_a_worker_claiming_a_mail_notes_when_it_started(
    interview: Interview, smtp_server: LoopbackMailServer
):
    followup = draft(interview, status=MailStatus.QUEUED)
    before = timezone.now()
    services.deliver(followup.pk)
    followup.refresh_from_db()
    assert followup.sending_since is not None
    assert followup.sending_since >= before
    assert not followup.is_stuck


def test_a_worker_that_outlived_its_attempt_does_not_settle_the_next(interview: Interview):
    followup = sending(interview, minutes=60)  # attempt 1, given up below
    assert services.give_up(followup)
    # Sent again: attempt 2 is on its way when attempt 1's worker finally finishes.
    FollowUp.objects.filter(pk=followup.pk).update(
        status=MailStatus.SENDING, sending_since=timezone.now(), attempts=2
    )
    services._finish(followup.pk, 1, MailStatus.FAILED, "Timed out long ago")
    followup.refresh_from_db()
    assert followup.status == MailStatus.SENDING
    services._finish(followup.pk, 2, MailStatus.SENT)
    followup.refresh_from_db()
    assert followup.status == MailStatus.SENT
