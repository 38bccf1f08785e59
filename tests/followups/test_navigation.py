"""The top navigation marks where a follow-up page belongs: its interview, or the team."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from heard.followups.services import templates_for
from heard.interviews.models import Interview
from tests.support.followups import draft
from tests.support.personas import Team
from tests.support.urls import mail_url, url

pytestmark = pytest.mark.django_db


def current_section(client: Client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    nav = re.search(r'<nav class="mainnav".*?</nav>', response.content.decode(), re.S)
    assert nav is not None
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', nav.group())


def test_follow_up_pages_are_under_interviews(
    team: Team, interview: Interview, owner_client: Client
):
    followup = draft(interview)
    for path in (
        url("followups:create", team, interview_pk=interview.pk),
        mail_url("detail", team, followup),
        mail_url("edit", team, followup),
    ):
        assert current_section(owner_client, path) == ["Interviews"], path


def test_template_pages_are_under_the_team(team: Team, owner_client: Client, observer_client):
    [template] = templates_for(team.workspace)
    assert current_section(observer_client, url("followups:templates", team)) == ["Team"]
    for path in (
        url("followups:templates", team),
        url("followups:template_create", team),
        url("followups:template_edit", team, pk=template.pk),
        url("followups:template_delete", team, pk=template.pk),
    ):
        assert current_section(owner_client, path) == ["Team"], path
