"""The four people of the suite: an owner, a teammate, an observer, an outsider."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from heard.accounts.models import Role, User, Workspace
from tests.support import factories


@dataclass
class Team:
    """A workspace with an owner, a researcher (the teammate) and an observer, and an outsider
    who owns another workspace."""

    workspace: Workspace
    owner: User
    teammate: User
    observer: User
    outsider: User
    other_workspace: Workspace

    def client_for(self, person: User) -> Client:
        """A test client signed in as `person`."""
        client = Client()
        client.force_login(person)
        return client


def build_team() -> Team:
    """Acme Research with Olivia (owner), Tom (researcher) and Oscar (observer); Eve owns
    Other Corp."""
    ws = factories.workspace("Acme Research")
    owner = factories.member(ws, Role.OWNER, name="Olivia Owner", email="olivia@acme.example")
    teammate = factories.member(ws, Role.RESEARCHER, name="Tom Teammate")
    observer = factories.member(ws, Role.OBSERVER, name="Oscar Observer")
    other = factories.workspace("Other Corp")
    outsider = factories.member(other, Role.OWNER, name="Eve Outsider")
    return Team(ws, owner, teammate, observer, outsider, other)
