"""Invitations by email: sent by a task through the mail server, the address asked for and
filled in when the invitee joins, and a new link each time it is sent."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse

from heard.accounts import invitation_mail, tasks
from heard.accounts.invitation_mail import deliver
from heard.accounts.models import (
    AuditAction,
    AuditEntry,
    Invitation,
    InvitationMail,
    Membership,
    Role,
    User,
)
from heard.conf import MailSecurity, MailServer
from tests.support.personas import Team
from tests.support.smtp import LoopbackMailServer

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/invitations/[\w-]{20,}/")


def invite(client: Client, team: Team, **data: str):  # type: ignore[no-untyped-def]
    fields = {"email": "nina@example.org", "role": "observer", "send_by_email": "on"} | data
    return client.post(reverse("accounts:invitation_create", args=[team.workspace.slug]), fields)


def link_in(server: LoopbackMailServer, index: int = -1) -> str:
    """The path of the invitation link in a mail the server received."""
    body = server.received[index].message.get_content()
    match = LINK.search(body)
    assert match, body
    return urlsplit(match.group(0)).path


def test_the_invitation_is_emailed_and_the_invitee_finds_their_address_filled_in(
    team: Team, owner_client: Client, smtp_server: LoopbackMailServer
) -> None:
    response = invite(owner_client, team)
    assert response.status_code == 302
    [received] = smtp_server.received
    assert received.recipients == ["nina@example.org"]
    message = received.message
    assert message["Subject"] == "Olivia Owner invites you to Acme Research on Heard"
    # From the team's address (never an account's unverified email), replies to the owner.
    assert message["From"] == "Acme Research <research@acme.example>"
    assert message["Reply-To"] == f"Olivia Owner <{team.owner.email}>"
    assert received.sender == "research@acme.example"
    body = message.get_content()
    assert "You are invited as observer: reads everything and changes nothing." in body
    invitation = Invitation.objects.get()
    assert invitation.mail_status == InvitationMail.SENT
    assert invitation.mailed_at is not None

    team_page = owner_client.get(reverse("accounts:team", args=[team.workspace.slug]))
    content = team_page.content.decode()
    assert "The invitation is on its way to nina@example.org." in content
    assert not LINK.search(content)  # the link is in the mail only
    assert "Emailed" in content

    join = Client().get(link_in(smtp_server))
    assert join.status_code == 200
    assert 'value="nina@example.org"' in join.content.decode()  # the address is filled in
    accepted = Client().post(
        link_in(smtp_server),
        {
            "name": "Nina New",
            "email": "nina@example.org",
            "password": "a long and unusual passphrase",
            "password_again": "a long and unusual passphrase",
        },
    )
    assert accepted.status_code == 302
    nina = User.objects.get(email="nina@example.org")
    assert Membership.objects.get(user=nina, workspace=team.workspace).role == Role.OBSERVER


def test_the_invitation_form_asks_for_the_email(team: Team, owner_client: Client) -> None:
    page = owner_client.get(reverse("accounts:team", args=[team.workspace.slug])).content.decode()
    assert re.search(r'<input type="email" name="email"[^>]* required', page)
    response = invite(owner_client, team, email="")
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    shown = owner_client.get(reverse("accounts:team", args=[team.workspace.slug]))
    assert "Check the invitation: email: This field is required." in shown.content.decode()


def test_without_a_mail_server_the_link_is_shown_with_the_address(
    team: Team, owner_client: Client
) -> None:
    page = owner_client.get(reverse("accounts:team", args=[team.workspace.slug])).content.decode()
    assert "Email them the invitation" not in page
    assert "sending email is off on this Heard" in page
    invite(owner_client, team)
    page = owner_client.get(reverse("accounts:team", args=[team.workspace.slug])).content.decode()
    match = LINK.search(page)
    assert match
    assert Invitation.objects.get().mail_status == InvitationMail.NOT_SENT
    join = Client().get(match.group(0).replace("http://127.0.0.1:8000", ""))
    assert 'value="nina@example.org"' in join.content.decode()


def test_the_link_can_be_shown_instead_of_emailed(
    team: Team, owner_client: Client, smtp_server: LoopbackMailServer
) -> None:
    invite(owner_client, team, send_by_email="")
    assert smtp_server.received == []
    page = owner_client.get(reverse("accounts:team", args=[team.workspace.slug])).content.decode()
    assert LINK.search(page)


def test_a_refused_address_fails_with_the_servers_reason_and_sending_again_makes_a_new_link(
    team: Team, owner_client: Client, smtp_server: LoopbackMailServer
) -> None:
    smtp_server.recorder.refuse_recipients_with = "550 5.1.1 No such user here"
    invite(owner_client, team)
    invitation = Invitation.objects.get()
    assert invitation.mail_status == InvitationMail.FAILED
    assert "550 5.1.1 No such user here" in invitation.mail_failure
    page = owner_client.get(reverse("accounts:team", args=[team.workspace.slug])).content.decode()
    assert "Email failed" in page
    assert "550 5.1.1 No such user here" in page

    smtp_server.recorder.refuse_recipients_with = ""
    send_again = reverse("accounts:invitation_send", args=[team.workspace.slug, invitation.pk])
    owner_client.post(send_again)
    first = link_in(smtp_server)
    owner_client.post(send_again)
    assert len(smtp_server.received) == 2
    second = link_in(smtp_server)
    assert first != second
    assert Client().get(first).status_code == 410  # the earlier email's link no longer works
    assert Client().get(second).status_code == 200
    # Each sending is in the audit log: a new link that lets someone in.
    sent = AuditEntry.objects.filter(action=AuditAction.MEMBER_INVITED).order_by("id")
    assert [entry.details for entry in sent] == [
        {"role": "observer", "emailed": True},
        {"role": "observer", "emailed": True, "again": True},
        {"role": "observer", "emailed": True, "again": True},
    ]


def test_a_mail_on_its_way_is_sent_once(
    team: Team, owner_client: Client, smtp_server: LoopbackMailServer
) -> None:
    invite(owner_client, team)
    invitation = Invitation.objects.get()
    assert deliver(invitation.pk) == InvitationMail.SENT  # a second worker: nothing to claim
    assert len(smtp_server.received) == 1


def test_a_used_or_revoked_invitation_is_not_sent_again(
    team: Team, owner_client: Client, smtp_server: LoopbackMailServer
) -> None:
    invite(owner_client, team)
    invitation = Invitation.objects.get()
    owner_client.post(
        reverse("accounts:invitation_revoke", args=[team.workspace.slug, invitation.pk])
    )
    owner_client.post(
        reverse("accounts:invitation_send", args=[team.workspace.slug, invitation.pk])
    )
    assert len(smtp_server.received) == 1


def test_the_token_never_waits_in_the_task_queue(
    team: Team, settings: LazySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task gets only the invitation's id: it makes the link itself, just before sending."""
    queued: list[tuple[object, ...]] = []

    class RecordedTask:
        @staticmethod
        def enqueue(*args: object) -> None:
            queued.append(args)

    monkeypatch.setattr(tasks, "send_invitation", RecordedTask)
    settings.HEARD_EMAIL_SERVER = MailServer("127.0.0.1", 25, MailSecurity.NONE)
    invitation, _ = Invitation.issue(
        workspace=team.workspace, role="researcher", email="a@x.example",
        created_by=team.owner, days=7,
    )  # fmt: skip
    assert invitation_mail.queue(invitation)
    assert queued == [(invitation.pk,)]
