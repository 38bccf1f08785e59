"""Webhooks, in a real Chromium: from the workspace settings, add one pointing at a real HTTP
server, copy its secret (shown once), see an interview scheduled arrive, signed with that
secret, see a failed delivery in the log with its answer, and send it again.

Screenshots: test-artifacts/screens/webhooks-*.png.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.interviews import scheduling
from heard.interviews.models import Interview
from heard.webhooks.models import Delivery, DeliveryStatus, Webhook
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.personas import Team
from tests.support.webhooks import Receiver, Reply, documented_verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_a_webhook_see_its_secret_once_and_send_a_delivery_again(
    person: Page, live_server: LiveServer, team: Team, receiver: Receiver
) -> None:
    page = person
    sign_in(page.context, live_server.url, team.owner)
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/settings/")
    screenshot(page, "webhooks-settings-link")
    page.get_by_role("link", name="webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="No webhook yet")).to_be_visible()
    screenshot(page, "webhooks-empty")

    page.get_by_role("link", name="Add a webhook").first.click()
    page.get_by_label("URL").fill("ftp://example.org/hook")
    page.get_by_role("button", name="Add webhook").click()
    refusal = "Heard sends webhooks only to http:// and https:// addresses."
    expect(page.get_by_text(refusal)).to_be_visible()
    expect(page.get_by_text("Choose at least one event.")).to_be_visible()
    screenshot(page, "webhooks-refused")
    page.get_by_label("URL").fill(receiver.url())
    page.get_by_label("Interview scheduled").check()
    page.get_by_label("Decision recorded").check()
    page.get_by_label("Description").fill("Roadmap board")
    page.get_by_role("button", name="Add webhook").click()

    hook = Webhook.objects.get(url=receiver.url())
    secret_box = page.locator("#webhook-secret")
    expect(secret_box).to_have_text(hook.secret)
    expect(page.get_by_text("only this once")).to_be_visible()
    expect(page.get_by_role("button", name="Copy secret")).to_be_visible()
    screenshot(page, "webhooks-secret-once")
    shown = secret_box.inner_text().strip()
    page.reload()
    expect(page.locator("#webhook-secret")).to_have_count(0)
    expect(page.get_by_text(hook.secret[:10] + "…")).to_be_visible()

    # Something happens: an interview is scheduled. The receiver is down at first.
    receiver.answer(Reply(503, b'{"error": "maintenance"}'))
    study = factories.study(team.workspace, title="Reporting pains")
    scheduling.schedule_interview(
        Interview(
            study=study,
            participant=factories.participant(team.workspace),
            starts_at=timezone.now() + datetime.timedelta(days=1),
        ),
        team.owner,
    )
    [first] = receiver.wait_for(1)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    page.reload()
    entry = page.locator(f"#delivery-{delivery.pk}")
    expect(entry.get_by_text("Waiting to try again")).to_be_visible()
    expect(entry.get_by_text("last answer HTTP 503")).to_be_visible()
    entry.get_by_text("Request and attempts").click()
    expect(entry.get_by_text('{"error": "maintenance"}')).to_be_visible()
    expect(entry.get_by_text('"type": "interview.scheduled"')).to_be_visible()
    screenshot(page, "webhooks-log-retrying")

    entry.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("Sent again")).to_be_visible()
    entry = page.locator(f"#delivery-{delivery.pk}")
    expect(entry.get_by_text("Delivered", exact=True)).to_be_visible()
    expect(entry.get_by_text("2 attempts")).to_be_visible()
    entry.get_by_text("Request and attempts").click()
    screenshot(page, "webhooks-log-delivered")

    first, second = receiver.wait_for(2)
    verify = documented_verify()
    for request in (first, second):
        assert verify(shown, request.body, request.headers["heard-signature"])
        assert request.headers["heard-delivery"] == str(delivery.uuid)

    page.get_by_role("link", name="Webhooks").click()
    row = page.get_by_role("row", name=receiver.url())
    expect(row.get_by_text("Delivered")).to_be_visible()
    expect(row.get_by_text("HTTP 200")).to_be_visible()
    screenshot(page, "webhooks-list")
