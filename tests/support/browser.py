"""Browser-test helpers: Playwright driving Debian's Chromium (headless) against a live Heard.

The fixtures that open the browser (`browser`, `context`, `page`) are in
`tests.support.fixtures.browser`; every folder shares one browser."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from heard.accounts.models import User

CHROMIUM = os.environ.get("HEARD_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=en-GB",
]


def new_context(browser: Browser, *, java_script_enabled: bool = True) -> BrowserContext:
    """A fresh browser profile (cookies and storage of its own), British English, 1280 by 900."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        java_script_enabled=java_script_enabled,
    )
    context.set_default_timeout(10_000)
    return context


def watch(page: Page) -> list[str]:
    """Collect what goes wrong in a tab: scripts that fail and console errors (CSP reports
    among them)."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error on {page.url}: {message.text}")

    page.on("console", on_console)
    return problems


def sign_in(context: BrowserContext, live_server_url: str, user: User) -> None:
    """Give the browser a session for `user` without typing the password."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server_url}]
    )


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot for people to look at (test-artifacts/screens/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pick_participant(page: Page, search: str, name: str) -> None:
    """Find a participant with the schedule form's picker, as a person types, and pick them."""
    page.get_by_label("Participant", exact=True).fill(search)
    choice = page.get_by_role("radio", name=re.compile(rf"^{re.escape(name)}\b"))
    expect(choice).to_be_visible()
    choice.check()
