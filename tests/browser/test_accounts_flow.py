from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from heard.accounts.models import Membership, Role, User
from tests.support import factories
from tests.support.browser import new_context, screenshot, sign_in
from tests.support.smtp import LoopbackMailServer

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
    page.get_by_label("Their email").fill("oscar@example.org")
    page.get_by_label("Role", exact=True).select_option("observer")
    page.get_by_role("button", name="Invite", exact=True).click()
    link = page.locator("#new-invite-link").inner_text().strip()
    screenshot(page, "accounts-03-team-with-link")

    colleague: BrowserContext = new_context(browser)
    other = colleague.new_page()
    other.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(other.get_by_role("heading", name="Join Rita's team")).to_be_visible()
    other.get_by_label("Name", exact=True).fill("Oscar Observer")
    expect(other.get_by_label("Email", exact=True)).to_have_value("oscar@example.org")
    other.get_by_label("Password", exact=True).fill("another long passphrase")
    other.get_by_label("Password, again").fill("another long passphrase")
    other.get_by_role("button", name="Create account and join").click()
    expect(other.get_by_text("You joined Rita's team as observer.")).to_be_visible()
    colleague.close()
    oscar = User.objects.get(email="oscar@example.org")
    assert Membership.objects.get(user=oscar).role == Role.OBSERVER


def test_an_invitation_by_email(
    page: Page, live_server, browser, team, smtp_server: LoopbackMailServer
):
    sign_in(page.context, live_server.url, team.owner)
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/team/")
    form = page.get_by_role("region", name="Invite someone")
    form.get_by_label("Their email").fill("nina@example.org")
    form.get_by_label("Role", exact=True).select_option("researcher")
    expect(form.get_by_label("Email them the invitation")).to_be_checked()
    form.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "The invitation is on its way to nina@example.org."
    )
    row = page.get_by_role("row", name=re.compile("nina@example.org"))
    expect(row).to_contain_text("Emailed")
    expect(row.get_by_role("button", name="Send again to nina@example.org")).to_be_visible()
    screenshot(page, "accounts-05-invitation-emailed")

    [received] = smtp_server.received
    link = re.search(r"http\S+/invitations/\S+/", received.message.get_content())
    assert link
    colleague = new_context(browser)
    other = colleague.new_page()
    other.goto(link.group(0).replace("http://127.0.0.1:8000", live_server.url))
    expect(other.get_by_role("heading", name="Join Acme Research")).to_be_visible()
    expect(other.get_by_label("Email", exact=True)).to_have_value("nina@example.org")
    screenshot(other, "accounts-06-join-prefilled")
    other.get_by_label("Name", exact=True).fill("Nina New")
    other.get_by_label("Password", exact=True).fill("another long passphrase")
    other.get_by_label("Password, again").fill("another long passphrase")
    other.get_by_role("button", name="Create account and join").click()
    expect(other.get_by_text("You joined Acme Research as researcher.")).to_be_visible()
    colleague.close()


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


def test_observers_download_the_participant_list_only_where_the_owner_allows_it(
    page: Page, live_server, browser, team
):
    factories.participant(team.workspace, name="Ada Lovelace", email="ada@analytical.example")
    watcher = new_context(browser)
    sign_in(watcher, live_server.url, team.observer)
    observer = watcher.new_page()
    directory = f"{live_server.url}/w/{team.workspace.slug}/participants/"
    observer.goto(directory)
    expect(observer.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(observer.get_by_role("link", name=re.compile("^Export"))).to_have_count(0)
    screenshot(observer, "accounts-07-observer-directory-without-export")

    sign_in(page.context, live_server.url, team.owner)
    page.goto(f"{live_server.url}/w/{team.workspace.slug}/settings/")
    allow = page.get_by_label("Observers may download the participant list")
    expect(allow).not_to_be_checked()
    allow.check()
    screenshot(page, "accounts-08-workspace-settings")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Workspace settings saved.")

    observer.reload()
    with observer.expect_download() as download:
        observer.get_by_role("link", name="Export as CSV").click()
    assert b"ada@analytical.example" in download.value.path().read_bytes()
    watcher.close()
