"""The webhooks' pages: owners only (researchers and observers 403, outsiders 404); adding one
shows its secret once; a new secret replaces the old one at once; editing, switching off and
deleting; the delivery log with each attempt, the request and the answer; the workspace
settings page leads to it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from heard.accounts.models import AuditAction, AuditEntry
from heard.webhooks import events, services
from heard.webhooks.models import Delivery, DeliveryStatus, EventType, Webhook
from tests.support import factories
from tests.support.personas import Team
from tests.support.urls import url
from tests.support.webhooks import Receiver, Reply

pytestmark = pytest.mark.django_db

EVENTS = [EventType.INTERVIEW_SCHEDULED, EventType.DECISION_RECORDED]


def addresses(team: Team, hook: Webhook, delivery: Delivery | None = None) -> list[str]:
    ws = team.workspace
    found = [
        url("webhooks:list", ws),
        url("webhooks:create", ws),
        url("webhooks:detail", ws, pk=hook.pk),
        url("webhooks:edit", ws, pk=hook.pk),
        url("webhooks:delete", ws, pk=hook.pk),
        url("webhooks:secret", ws, pk=hook.pk),
    ]
    if delivery is not None:
        found.append(url("webhooks:resend", ws, pk=hook.pk, delivery_pk=delivery.pk))
    return found


def test_only_owners_manage_webhooks(
    team: Team, receiver: Receiver, django_capture_on_commit_callbacks: Any
):
    hook = services.create(team.workspace, team.owner, url=receiver.url(), events=EVENTS)
    receiver.default = Reply(500)
    interview = factories.interview(factories.study(team.workspace))
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = events.emit(events.interview_scheduled(interview.pk))
    data = {"url": "https://93.184.216.34/x", "events": [EventType.INTERVIEW_FINISHED]}
    for person, status in ((team.teammate, 403), (team.observer, 403), (team.outsider, 404)):
        client = team.client_for(person)
        for address in addresses(team, hook, delivery):
            assert client.get(address).status_code in {status, 405}, (person, address)
            assert client.post(address, data).status_code in {status, 405}, (person, address)
            if status == 404:
                assert client.post(address, data).status_code == 404, (person, address)
    hook.refresh_from_db()
    assert (hook.url, hook.events) == (receiver.url(), EVENTS)
    assert Webhook.objects.count() == 1
    assert delivery.attempts_made.count() == 1
    # Another workspace's owner finds nothing of ours under their own workspace either.
    outsider = team.client_for(team.outsider)
    theirs = url("webhooks:detail", team.other_workspace, pk=hook.pk)
    assert outsider.get(theirs).status_code == 404


def test_adding_a_webhook_shows_its_secret_once(team: Team, owner_client: Client, settings: Any):
    settings.HEARD_WEBHOOKS_ALLOW_PRIVATE = False
    response = owner_client.post(
        url("webhooks:create", team.workspace),
        {
            "url": " https://93.184.216.34/hooks/heard ",
            "events": [EventType.INTERVIEW_FINISHED, EventType.PARTICIPANT_ERASED],
            "description": "<b>Roadmap</b>",
        },
    )
    hook = Webhook.objects.get()
    assert response.status_code == 302
    assert response.url == url("webhooks:detail", team.workspace, pk=hook.pk)
    assert hook.url == "https://93.184.216.34/hooks/heard"
    assert hook.events == ["interview.finished", "participant.erased"]
    assert hook.active
    assert hook.created_by == team.owner
    assert re.fullmatch(r"whsec_[A-Za-z0-9_-]{43}", hook.secret)
    first = owner_client.get(response.url).content.decode()
    assert hook.secret in first
    assert "only this once" in first
    assert "&lt;b&gt;Roadmap&lt;/b&gt;" in first
    again = owner_client.get(response.url).content.decode()
    assert hook.secret not in again
    assert hook.secret[:10] + "…" in again
    listing = owner_client.get(url("webhooks:list", team.workspace)).content.decode()
    assert "https://93.184.216.34/hooks/heard" in listing
    assert "Interview finished, Participant erased" in listing
    assert "None yet" in listing
    assert hook.secret not in listing


def test_a_new_secret_replaces_the_old_at_once_and_is_shown_once(team: Team, owner_client: Client):
    hook = services.create(team.workspace, team.owner, url="https://93.184.216.34/", events=EVENTS)
    old = hook.secret
    response = owner_client.post(url("webhooks:secret", team.workspace, pk=hook.pk))
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.secret != old
    page = owner_client.get(response.url).content.decode()
    assert hook.secret in page
    assert old not in page
    assert hook.secret not in owner_client.get(response.url).content.decode()


def test_an_empty_or_wrong_form_says_what_is_missing(team: Team, owner_client: Client):
    page = owner_client.post(
        url("webhooks:create", team.workspace), {"url": "", "events": ["made.up"]}
    ).content.decode()
    assert "This field is required." in page
    assert "Select a valid choice. made.up is not one of the available choices." in page
    page = owner_client.post(
        url("webhooks:create", team.workspace), {"url": "https://93.184.216.34/"}
    ).content.decode()
    assert "Choose at least one event." in page
    page = owner_client.post(
        url("webhooks:create", team.workspace),
        {"url": "https://93.184.216.34/" + "x" * 2100, "events": EVENTS},
    ).content.decode()
    assert "Ensure this value has at most 2000 characters" in page
    assert not Webhook.objects.exists()


def test_editing_switching_off_and_deleting(team: Team, owner_client: Client, receiver: Receiver):
    hook = services.create(team.workspace, team.owner, url=receiver.url(), events=EVENTS)
    form = owner_client.get(url("webhooks:edit", team.workspace, pk=hook.pk)).content.decode()
    assert 'name="active"' in form
    assert f'value="{receiver.url()}"' in form
    response = owner_client.post(
        url("webhooks:edit", team.workspace, pk=hook.pk),
        {"url": receiver.url("/v2"), "events": [EventType.TRANSCRIPT_READY], "description": ""},
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.url, hook.events, hook.active) == (
        receiver.url("/v2"),
        ["transcript.ready"],
        False,
    )
    listing = owner_client.get(url("webhooks:list", team.workspace)).content.decode()
    assert '<span class="badge badge--off">Off</span>' in listing
    owner_client.post(url("webhooks:delete", team.workspace, pk=hook.pk))
    assert not Webhook.objects.exists()


def test_the_log_shows_each_attempt_the_request_and_the_answer(
    team: Team, owner_client: Client, receiver: Receiver, django_capture_on_commit_callbacks: Any
):
    hook = services.create(team.workspace, team.owner, url=receiver.url(), events=EVENTS)
    receiver.answer(Reply(503, b"<script>alert(1)</script> busy"))
    study = factories.study(team.workspace, title="Pricing <em>study</em>")
    interview = factories.interview(study)
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = events.emit(events.interview_scheduled(interview.pk))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    page = owner_client.get(url("webhooks:detail", team.workspace, pk=hook.pk)).content.decode()
    assert f'id="delivery-{delivery.pk}"' in page
    assert "Waiting to try again" in page
    assert "Interview scheduled" in page
    assert "HTTP 503" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; busy" in page
    assert "<script>alert(1)" not in page
    assert "Pricing &lt;em&gt;study&lt;/em&gt;" in page  # the request body, escaped
    assert str(delivery.uuid) in page
    resend = url("webhooks:resend", team.workspace, pk=hook.pk, delivery_pk=delivery.pk)
    assert f'action="{resend}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(resend)
    page = owner_client.get(url("webhooks:detail", team.workspace, pk=hook.pk)).content.decode()
    assert "Delivered" in page
    assert "2 attempts" in page
    listing = owner_client.get(url("webhooks:list", team.workspace)).content.decode()
    assert "badge--delivered" in listing
    assert "HTTP 200" in listing


def test_the_workspace_settings_lead_to_the_webhooks(team: Team, owner_client: Client):
    page = owner_client.get(url("accounts:workspace_settings", team.workspace)).content.decode()
    assert f'href="{url("webhooks:list", team.workspace)}">webhooks</a>' in page
    services.create(team.workspace, team.owner, url="https://93.184.216.34/", events=EVENTS)
    page = owner_client.get(url("accounts:workspace_settings", team.workspace)).content.decode()
    assert "(1 of 1 active)" in page


def test_every_change_to_a_webhook_is_in_the_audit_log_without_its_address_path(
    team: Team, owner_client: Client, settings: Any
):
    settings.HEARD_WEBHOOKS_ALLOW_PRIVATE = True
    secret_path = "/hooks/T0KEN-IN-THE-PATH?key=s3cret"
    owner_client.post(
        url("webhooks:create", team.workspace),
        {"url": f"http://127.0.0.1:9{secret_path}", "events": EVENTS, "description": ""},
    )
    hook = Webhook.objects.get()
    owner_client.post(
        url("webhooks:edit", team.workspace, pk=hook.pk),
        {"url": "http://127.0.0.1:9/v2", "events": EVENTS, "description": "", "active": "on"},
    )
    owner_client.post(url("webhooks:secret", team.workspace, pk=hook.pk))
    owner_client.post(url("webhooks:delete", team.workspace, pk=hook.pk))
    entries = AuditEntry.objects.filter(action=AuditAction.WEBHOOK_CHANGED).order_by("id")
    assert [e.details["change"] for e in entries] == ["added", "edited", "new_secret", "deleted"]
    assert all(e.actor == team.owner for e in entries)
    assert {e.target_label for e in entries} == {"the webhook to 127.0.0.1"}
    log = owner_client.get(url("audit:log", team.workspace)).content.decode()
    assert "made a new signing secret for" in log
    assert "T0KEN" not in log
    assert "s3cret" not in log
