"""What the browser flows share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import ConsoleMessage, Page


@pytest.fixture
def person(page: Page) -> Iterator[Page]:
    """The browser tab, watched: scripts that fail and console errors (CSP reports among them)."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error on {page.url}: {message.text}")

    page.on("console", on_console)
    yield page
    connections.close_all()
    assert problems == [], "\n".join(problems)
