"""What the browser flows share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Page

from tests.support.browser import watch


@pytest.fixture
def person(page: Page) -> Iterator[Page]:
    """The browser tab, watched (`watch`): nothing may go wrong in it."""
    problems = watch(page)
    yield page
    connections.close_all()
    assert problems == [], "\n".join(problems)
