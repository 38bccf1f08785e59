"""Error pages as a person meets them: the site's header, what happened, and a way back that
works. Screenshots: test-artifacts/screens/error-*.png."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.accounts.models import LoginFailure
from tests.support import factories
from tests.support.browser import screenshot, sign_in
from tests.support.personas import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_error_pages_have_the_header_and_a_way_back(
    page: Page, live_server: LiveServer, team: Team
) -> None:
    study = factories.study(team.workspace, title="Secret pricing study")
    base = live_server.url

    sign_in(page.context, base, team.outsider)
    answer = page.goto(f"{base}/w/{team.workspace.slug}/studies/{study.pk}/")
    assert answer is not None
    assert answer.status == 404
    expect(page.get_by_role("heading", name="There is nothing at this address")).to_be_visible()
    expect(page.locator(".topbar .brand")).to_have_text(re.compile("Heard"))
    expect(page.locator("body")).not_to_contain_text("Secret pricing study")
    screenshot(page, "error-404")
    page.get_by_role("link", name="Back to your workspaces").click()
    expect(page).to_have_url(re.compile(r"/w/[^/]+/$"))
    expect(page.locator(".topbar")).not_to_contain_text(team.workspace.name)

    sign_in(page.context, base, team.owner)
    answer = page.goto(f"{base}/w/{team.workspace.slug}/studies/{study.pk}/reviews/new/")
    assert answer is not None
    assert answer.status == 405
    expect(
        page.get_by_role("heading", name="This address is the target of a button")
    ).to_be_visible()
    screenshot(page, "error-405")
    page.get_by_role("link", name="Back to your workspaces").click()
    expect(page).to_have_url(f"{base}/w/{team.workspace.slug}/")

    # Sign-in paused after too many failures: the sign-in page, saying for how long.
    page.context.clear_cookies()
    for _ in range(settings.HEARD_LOGIN_MAX_FAILURES):
        LoginFailure.objects.create(email=team.owner.email, ip_address="127.0.0.1")
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(team.owner.email)
    page.get_by_label("Password").fill("not the password")
    with page.expect_response(re.compile("/accounts/login/")) as paused:
        page.get_by_role("button", name="Sign in").click()
    assert paused.value.status == 429
    expect(page.get_by_role("alert")).to_contain_text("Sign-in is paused")
    screenshot(page, "error-429-sign-in")
