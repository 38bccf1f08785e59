"""Browser-test support: Playwright driving Debian's Chromium (headless) against a live Heard.

The fixtures are imported by tests/conftest.py so that every folder shares one browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from heard.accounts.models import User

CHROMIUM = os.environ.get("HEARD_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screens"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=en-GB",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium), "
            "or HEARD_TEST_CHROMIUM set to its path."
        )
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser)
    yield ctx
    ctx.close()
    # Queries made while Playwright's loop runs open connections of their own; close them so
    # that PostgreSQL can drop the test database at the end.
    connections.close_all()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


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
