"""The suite's configuration: its shared fixtures (plugins from `tests.support.fixtures`), and
browser tests last."""

from __future__ import annotations

import os

import pytest

# Helpers' assertions explain themselves as the tests' own do.
pytest.register_assert_rewrite("tests.support")

pytest_plugins = [
    "tests.support.fixtures.personas",
    "tests.support.fixtures.browser",
    "tests.support.fixtures.server",
    "tests.support.fixtures.mail",
    "tests.support.fixtures.speech",
    "tests.support.fixtures.media",
    "tests.support.fixtures.object_store",
    "tests.support.fixtures.webhooks",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _search_backlog_ends_with_the_test():  # type: ignore[no-untyped-def]
    """Notes a test saved on the live API's hot path wait in the search backlog for a thread
    that would index them after the test's database is gone: the test's end forgets them
    (tests of the backlog flush it themselves)."""
    yield
    from heard.search.backlog import backlog

    backlog.discard()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop open in this thread
    for the rest of the session, and async views cannot be called through the test client
    while it runs."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))
