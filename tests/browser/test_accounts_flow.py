from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from heard.accounts.models import Membership, Role, User
from tests.support.browser import new_context, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_run_then_invite_a_colleague(page: Page, live_server, browser):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/setup/$"))
    expect(page.get_by_role("heading", name="Welcome to Heard")).to_be_visible()
    screenshot(page, "accounts-01-setup")
    page.get_by_label("Name", exact=True).fill("Rita Researcher")
    page.get_by_label("Email", exact=True).fill("rita@example.org")
    page.get_by_label("Password", exact=True).fill("a long and unusual passphrase")
    page.get_by_label("Password, again").fill("a long and unusual passphrase")
    page.get_by_label("Workspace name").fill("Rita's team")
    page.get_by_role("button", name="Create account and workspace").click()
    expect(page.get_by_role("heading", name="Rita's team")).to_be_visible()
    screenshot(page, "accounts-02-workspace-home-empty")

    page.get_by_role("link", name="Team", exact=True).click()
    page.get_by_label("Role", exact=True).select_option("observer")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator("#new-invite-link").inner_text().strip()
    screenshot(page, "accounts-03-team-with-link")

    colleague: BrowserContext = new_context(browser)
    other = colleague.new_page()
    other.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(other.get_by_role("heading", name="Join Rita's team")).to_be_visible()
    other.get_by_label("Name", exact=True).fill("Oscar Observer")
    other.get_by_label("Email", exact=True).fill("oscar@example.org")
    other.get_by_label("Password", exact=True).fill("another long passphrase")
    other.get_by_label("Password, again").fill("another long passphrase")
    other.get_by_role("button", name="Create account and join").click()
    expect(other.get_by_text("You joined Rita's team as observer.")).to_be_visible()
    colleague.close()
    oscar = User.objects.get(email="oscar@example.org")
    assert Membership.objects.get(user=oscar).role == Role.OBSERVER


def test_sign_in_and_out(page: Page, live_server):
    User.objects.create_user(
        email="sam@example.org", name="Sam", password="a long and unusual passphrase"
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email", exact=True).fill("sam@example.org")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    screenshot(page, "accounts-04-login-error")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
    page.get_by_text("Sam", exact=True).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Heard")).to_be_visible()
