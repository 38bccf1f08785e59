"""Small builders for test data. Each returns a saved object with sensible defaults."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from heard.accounts.models import Membership, Role, User, Workspace
from heard.guides.models import Guide, Question, Section
from heard.interviews.models import Interview
from heard.participants.models import Participant
from heard.studies.models import Study, ValidationPoint

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def user(name: str = "", email: str = "") -> User:
    n = next(_counter)
    return User.objects.create_user(
        email=email or f"person{n}@example.org", name=name or f"Person {n}", password=PASSWORD
    )


def workspace(name: str = "") -> Workspace:
    n = next(_counter)
    return Workspace.objects.create(name=name or f"Workspace {n}", slug=f"ws-{n}")


def member(ws: Workspace, role: Role = Role.RESEARCHER, **kwargs: Any) -> User:
    person = user(**kwargs)
    Membership.objects.create(workspace=ws, user=person, role=role)
    return person


def study(ws: Workspace, **kwargs: Any) -> Study:
    fields = {"title": "Reporting pains", "goal": "Learn why reports are cumbersome."} | kwargs
    return Study.objects.create(workspace=ws, **fields)


def point(
    st: Study, statement: str = "Reports take too long", position: int = 0
) -> ValidationPoint:
    return ValidationPoint.objects.create(study=st, statement=statement, position=position)


def participant(ws: Workspace, **kwargs: Any) -> Participant:
    n = next(_counter)
    fields = {
        "name": f"Customer {n}",
        "email": f"customer{n}@client.example",
        "company": "Client Co",
    }
    return Participant.objects.create(workspace=ws, **(fields | kwargs))


def guide(st: Study, title: str = "Guide", questions: int = 2) -> Guide:
    g = Guide.objects.create(study=st, title=title)
    section = Section.objects.create(guide=g, title="Context", position=0)
    for i in range(questions):
        Question.objects.create(section=section, text=f"Question {i + 1}?", position=i)
    return g


def interview(st: Study, person: Participant | None = None, **kwargs: Any) -> Interview:
    fields = {
        "starts_at": timezone.now() + datetime.timedelta(days=2),
        "time_zone": "Europe/Berlin",
    } | kwargs
    return Interview.objects.create(
        study=st, participant=person or participant(st.workspace), **fields
    )
