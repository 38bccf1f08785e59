"""Personas shared by the whole suite: an owner, a teammate, an observer and an outsider."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from heard.accounts.models import Role, User, Workspace
from tests import factories
from tests.browser_support import browser, context, page  # noqa: F401  (shared fixtures)
from tests.server_process import heard_server  # noqa: F401  (shared fixture)

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Team:
    workspace: Workspace
    owner: User
    teammate: User
    observer: User
    outsider: User
    other_workspace: Workspace

    def client_for(self, person: User) -> Client:
        client = Client()
        client.force_login(person)
        return client


@pytest.fixture
def team(db: None) -> Team:
    ws = factories.workspace("Acme Research")
    owner = factories.member(ws, Role.OWNER, name="Olivia Owner", email="olivia@acme.example")
    teammate = factories.member(ws, Role.RESEARCHER, name="Tom Teammate")
    observer = factories.member(ws, Role.OBSERVER, name="Oscar Observer")
    other = factories.workspace("Other Corp")
    outsider = factories.member(other, Role.OWNER, name="Eve Outsider")
    return Team(ws, owner, teammate, observer, outsider, other)


@pytest.fixture
def owner_client(team: Team) -> Client:
    return team.client_for(team.owner)


@pytest.fixture
def teammate_client(team: Team) -> Client:
    return team.client_for(team.teammate)


@pytest.fixture
def observer_client(team: Team) -> Client:
    return team.client_for(team.observer)


@pytest.fixture
def outsider_client(team: Team) -> Client:
    return team.client_for(team.outsider)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop open in this thread
    for the rest of the session, and async views cannot be called through the test client
    while it runs."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))
